import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { EXAMPLES_DIR } from './support/harness.js';

const DEMO = join(EXAMPLES_DIR, 'demo', 'demo.mjs');
const run = promisify(execFile);

/** Environment of a user's shell: none of the suite's service settings leak into the demo. */
const userEnv = () => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' });

function startDemo(args: string[]) {
  // Its own process group, like a command started from a shell: Ctrl-C signals the group.
  const child: ChildProcess = spawn(
    process.execPath,
    [DEMO, '--no-build', '--port', '0', ...args],
    { env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let out = '';
  child.stdout?.on('data', (c) => {
    out += c;
  });
  child.stderr?.on('data', (c) => {
    out += c;
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, exited, output: () => out };
}

/** The curl lines the demo printed under "Try". */
const printedCurls = (output: string) =>
  output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('curl '));

// The two runs overlap: most of their time is PGlite's start-up and the service's module loading.
describe.concurrent('pnpm demo', () => {
  it('--smoke: starts Fastify on embedded PostgreSQL and S3, seeds, runs its three curls, stops cleanly', async () => {
    const demo = startDemo(['--smoke']);
    const code = await Promise.race([
      demo.exited,
      new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), 240_000)),
    ]);
    if (code === 'timeout') demo.child.kill('SIGKILL');
    const output = demo.output();
    expect(code, output).toBe(0);
    expect(output).toMatch(/URL\s+http:\/\/127\.0\.0\.1:\d+/);
    expect(output).toMatch(/API docs\s+http:\/\/127\.0\.0\.1:\d+\/docs/);
    for (const tenant of ['Acme Health', 'Globex Care'])
      expect(output).toMatch(new RegExp(`${tenant}\\s+tenant_id [0-9a-f-]{36}`));
    for (const role of ['admin', 'staff', 'viewer'])
      expect(output.match(new RegExp(`^\\s+${role}\\s+\\S+@`, 'gm'))?.length).toBe(2);
    for (const level of [0, 1, 2])
      expect(output.match(new RegExp(`verification_level ${level}`, 'g'))?.length).toBe(2);
    expect(printedCurls(output)).toHaveLength(3);
    expect(output.match(/^ok {2}/gm)?.length).toBe(3);
    expect(output).toContain('smoke: all curl commands passed; stopped cleanly');
  }, 300_000);

  it('--express: the printed curl commands work as printed, and Ctrl-C stops everything', async () => {
    const demo = startDemo(['--express']);
    await expect
      .poll(() => demo.output(), { timeout: 240_000, interval: 250 })
      .toMatch(/Ctrl-C stops everything|demo: /);
    const output = demo.output();
    expect(output, output).toContain('Express example service is running');
    const url = /URL\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] as string;
    const curls = printedCurls(output);
    expect(curls).toHaveLength(3);
    for (const command of curls) {
      const { stdout } = await run('sh', ['-c', command]);
      expect(() => JSON.parse(stdout)).not.toThrow();
    }
    // The docs page and the readiness of the printed URL answer too.
    expect((await fetch(`${url}/docs`)).status).toBe(200);
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);

    // Ctrl-C: the terminal sends SIGINT to every process of the foreground group.
    process.kill(-(demo.child.pid as number), 'SIGINT');
    const code = await Promise.race([
      demo.exited,
      new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), 30_000)),
    ]);
    if (code === 'timeout') demo.child.kill('SIGKILL');
    expect(code, demo.output()).toBe(0);
    await expect(fetch(`${url}/health/live`)).rejects.toThrow();
  }, 300_000);
});
