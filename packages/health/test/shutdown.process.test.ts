import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get } from './helpers/server.js';

// The fixture is TypeScript importing @plinth/health by name: bundle it (with
// the package source, via the @plinth/source condition) into one .mjs for node.
let outDir: string;
let script: string;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'plinth-health-'));
  await build({
    entry: { app: fileURLToPath(new URL('./fixtures/shutdown-app.ts', import.meta.url)) },
    outDir,
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    noExternal: [/^@plinth\//],
    dts: false,
    silent: true,
    config: false,
    outExtension: () => ({ js: '.mjs' }),
    esbuildOptions(options) {
      options.conditions = ['@plinth/source'];
    },
  });
  script = join(outDir, 'app.mjs');
}, 60_000);

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

interface Child {
  proc: ChildProcess;
  lines: string[];
  waitFor(prefix: string): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(mode: string): Child {
  const proc = spawn(process.execPath, [script], {
    env: { ...process.env, MODE: mode },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: { prefix: string; resolve: (line: string) => void }[] = [];
  let buffer = '';
  proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let nl = buffer.indexOf('\n');
    while (nl !== -1) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      lines.push(line);
      for (const w of waiters.filter((x) => line.startsWith(x.prefix))) w.resolve(line);
      nl = buffer.indexOf('\n');
    }
  });
  let stderr = '';
  proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const waitFor = (prefix: string) =>
    new Promise<string>((resolve, reject) => {
      const seen = lines.find((l) => l.startsWith(prefix));
      if (seen) return resolve(seen);
      waiters.push({ prefix, resolve });
      void exited.then(({ code }) =>
        reject(new Error(`fixture exited (${code}) before "${prefix}": ${stderr}`)),
      );
    });
  return { proc, lines, waitFor, exited };
}

describe('shutdown in a real process', () => {
  it('exits 0 on SIGTERM after finishing the in-flight request', async () => {
    const child = start('ok');
    const port = Number((await child.waitFor('READY')).split(' ')[1]);
    const inFlight = get(`http://127.0.0.1:${port}/slow`);
    await child.waitFor('REQUEST');
    child.proc.kill('SIGTERM');
    const res = await inFlight;
    expect(res).toMatchObject({ status: 200, body: 'slow done' });
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(child.lines).toContain('HOOK first');
  });

  it('exits non-zero when a hook fails, after running the hooks that follow it', async () => {
    const child = start('hook-fails');
    await child.waitFor('READY');
    child.proc.kill('SIGTERM');
    expect(await child.exited).toEqual({ code: 1, signal: null });
    expect(child.lines.filter((l) => l.startsWith('HOOK'))).toEqual([
      'HOOK first',
      'HOOK second',
      'HOOK third',
    ]);
  });

  it('runs every later hook and exits 1 when hooks throw a looping cause chain or a revoked Proxy', async () => {
    const child = start('hostile-hook');
    await child.waitFor('READY');
    child.proc.kill('SIGTERM');
    expect(await child.exited).toEqual({ code: 1, signal: null });
    expect(child.lines.filter((l) => l.startsWith('HOOK'))).toEqual([
      'HOOK first',
      'HOOK second',
      'HOOK third',
      'HOOK fourth',
    ]);
  });

  it('forces exit on a second signal while a hook hangs', async () => {
    const child = start('hang-hook');
    await child.waitFor('READY');
    child.proc.kill('SIGTERM');
    await child.waitFor('HOOK hangs');
    child.proc.kill('SIGINT');
    expect(await child.exited).toEqual({ code: 1, signal: null });
  });
});
