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

/**
 * Waits up to `ms` for the demo to exit; past that, SIGTERM (the demo then stops its
 * service, which runs in a process group of its own) and, 30 s later, SIGKILL.
 */
async function exitOf(demo: ReturnType<typeof startDemo>, ms: number) {
  const within = (limit: number) =>
    Promise.race([
      demo.exited,
      new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), limit).unref()),
    ]);
  const code = await within(ms);
  if (code !== 'timeout') return code;
  demo.child.kill('SIGTERM');
  if ((await within(30_000)) === 'timeout') demo.child.kill('SIGKILL');
  return 'timeout';
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
    const code = await exitOf(demo, 240_000);
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
    try {
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
      const code = await exitOf(demo, 30_000);
      expect(code, demo.output()).toBe(0);
      await expect(fetch(`${url}/health/live`)).rejects.toThrow();
    } finally {
      // A failed case must not leave the demo (and its service) running.
      if (demo.child.exitCode === null && demo.child.signalCode === null) await exitOf(demo, 0);
    }
  }, 300_000);
});
