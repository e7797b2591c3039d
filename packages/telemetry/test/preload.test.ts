import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDir, buildForChildProcesses } from './helpers/build.js';
import { spansOf, startReceiver } from './helpers/receiver.js';

// Instrumentation patches modules at load time, so these run in fresh child
// processes with the preload, exactly as a service is started.
const run = promisify(execFile);
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const SERVER = 2;
const CLIENT = 3;

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, TELEMETRY_BUILD: buildDir, ...extra };
  return env;
}

beforeAll(buildForChildProcesses, 60_000);

describe.each([
  ['ESM', '--import', 'register.js', 'http-roundtrip.mjs'],
  ['CommonJS', '--require', 'register.cjs', 'http-roundtrip.cjs'],
])('the %s preload', (_kind, flag, preload, script) => {
  it('traces a real request to a local node:http server as a server span', async () => {
    const receiver = await startReceiver();
    const { stdout, stderr } = await run(
      process.execPath,
      [flag, `${buildDir}${preload}`, fixture(script)],
      {
        env: childEnv({
          OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
          OTEL_SERVICE_NAME: 'preload-test',
        }),
        timeout: 20_000,
      },
    );

    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toMatchObject({ enabled: true });
    const spans = receiver.received.flatMap((r) => spansOf(r.body));
    const server = spans.find((span) => span.kind === SERVER);
    expect(server?.name).toMatch(/^GET/);
    expect(JSON.stringify(server?.attributes)).toContain('/hello');
    expect(spans.some((span) => span.kind === CLIENT)).toBe(true);
    await receiver.close();
  });

  it('starts disabled and silent when no endpoint is configured', async () => {
    const { stdout, stderr } = await run(
      process.execPath,
      [flag, `${buildDir}${preload}`, fixture(script)],
      {
        env: childEnv({}),
        timeout: 20_000,
      },
    );
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual({ enabled: false, instrumentations: [] });
  });
});
