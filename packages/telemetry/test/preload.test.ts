import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDir, buildForChildProcesses } from './helpers/build.js';
import { closedPort, flatten, startReceiver } from './helpers/receiver.js';

// Instrumentation patches modules as they load, so the service runs in a
// fresh child process with the preload, exactly as it is started in production.
const run = promisify(execFile);
const SERVER = 2;
const CLIENT = 3;
const hasPostgres = Boolean(process.env.DATABASE_URL);

function startService(flag: string, preload: string, script: string, env: Record<string, string>) {
  return run(process.execPath, [flag, `${buildDir}${preload}`, `${buildDir}${script}`], {
    env: { PATH: process.env.PATH, DATABASE_URL: process.env.DATABASE_URL ?? '', ...env },
    timeout: 30_000,
  });
}

function lastLine(stdout: string) {
  const lines = stdout.trim().split('\n');
  return { result: JSON.parse(lines.at(-1) ?? '{}'), logLines: lines.slice(0, -1) };
}

beforeAll(buildForChildProcesses, 120_000);

describe.each([
  ['ESM', '--import', 'register.js', 'service.js'],
  ['CommonJS', '--require', 'register.cjs', 'service.cjs'],
])('a service started with the %s preload', (_kind, flag, preload, script) => {
  it('exports linked spans, an HTTP server duration point and a log record with the same trace id', async () => {
    const receiver = await startReceiver();
    const { stdout, stderr } = await startService(flag, preload, script, {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: 'preload-test',
    });
    await receiver.close();

    expect(stderr).toBe('');
    const { result, logLines } = lastLine(stdout);
    expect(result.enabled).toBe(true);
    const spans = receiver.spans();
    const server = spans.find((span) => span.kind === SERVER);
    const client = spans.find((span) => span.kind === CLIENT && span.name.startsWith('GET'));
    expect(server?.name).toMatch(/^GET/);
    expect(server?.parentSpanId).toBe(client?.spanId);
    expect(server?.traceId).toBe(client?.traceId);
    if (hasPostgres) {
      // pool.query runs inside pg-pool's connect span, itself a child of the server span.
      const query = spans.find((span) => span.name.startsWith('pg.query'));
      const ancestors: string[] = [];
      for (let s = query; s?.parentSpanId; ) {
        ancestors.push(s.parentSpanId);
        s = spans.find((span) => span.spanId === s?.parentSpanId);
      }
      expect(query?.traceId).toBe(server?.traceId);
      expect(ancestors).toContain(server?.spanId);
    }

    const metrics = receiver.metrics();
    const duration = metrics.find((m) => m.name === 'http.server.request.duration');
    expect(Number(duration?.histogram?.dataPoints[0]?.count)).toBeGreaterThanOrEqual(1);
    const names = metrics.map((m) => m.name);
    expect(names).toContain('http.client.request.duration');
    expect(names.some((name) => /^(nodejs|v8js)\./.test(name))).toBe(true);
    if (hasPostgres) expect(names).toContain('db.client.operation.duration');

    const record = receiver.logs().find((r) => r.body?.stringValue === 'hello served');
    expect(record?.traceId).toBe(server?.traceId);
    expect(record?.spanId).toBe(server?.spanId);
    expect(flatten(record?.attributes)).toMatchObject({
      correlationId: 'corr-e2e-1',
      route: '/hello',
    });

    // The stdout line is the logger's own, with one trace_id key, unchanged by the OTLP copy.
    const line = logLines.find((l) => l.includes('hello served')) ?? '';
    expect(JSON.parse(line)).toMatchObject({
      trace_id: server?.traceId,
      correlationId: 'corr-e2e-1',
    });
    expect(line.match(/"trace_id"/g)).toHaveLength(1);
    // Redaction happened before the line was split: neither copy has the password.
    expect(`${line}${JSON.stringify(record)}`).not.toContain('p4ss-secret');
  });

  it('starts disabled and silent without an endpoint, and serves as fast with the collector down', async () => {
    const { stdout: offOut, stderr: offErr } = await startService(flag, preload, script, {});
    const off = lastLine(offOut).result;
    const port = await closedPort();
    const { stdout, stderr } = await startService(flag, preload, script, {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_EXPORTER_OTLP_TIMEOUT: '1000',
    });
    const down = lastLine(stdout).result;

    expect(offErr).toBe('');
    expect(off).toMatchObject({ enabled: false, instrumentations: [] });
    expect(down.enabled).toBe(true);
    // At most one line about the outage, and no stack trace or unhandled rejection.
    expect(stderr.trim().split('\n').filter(Boolean).length).toBeLessThanOrEqual(1);
    expect(stderr).not.toMatch(/Unhandled|at .*\(/);
    // Exporting never sits in the request path: same order of magnitude as with telemetry off.
    expect(down.requestMs).toBeLessThan(off.requestMs + 1000);
  });
});
