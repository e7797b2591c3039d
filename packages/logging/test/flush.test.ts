import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TimeoutError } from '@plinth/errors';
import { flush } from '@plinth/logging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = resolve(here, '..');
const esbuild = resolve(pkg, '../../node_modules/.bin/esbuild');
const bundle = join(pkg, '.test-results', 'flush-bundle.mjs');
const dir = mkdtempSync(join(tmpdir(), 'plinth-flush-'));

beforeAll(() => {
  // Bundle the package source (with its @plinth deps) so a plain `node` child can run it.
  execFileSync(esbuild, [
    join(pkg, 'src/index.ts'),
    '--bundle',
    '--platform=node',
    '--format=esm',
    '--conditions=@plinth/source',
    '--external:pino',
    '--external:pino-pretty',
    '--external:@opentelemetry/api',
    `--outfile=${bundle}`,
    '--log-level=warning',
  ]);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('flush', () => {
  it('writes every buffered line before process.exit', () => {
    const file = join(dir, 'out.log');
    const count = 5000;
    execFileSync(
      process.execPath,
      [join(here, 'fixtures/flush-child.mjs'), bundle, file, String(count)],
      {
        cwd: pkg,
        stdio: 'pipe',
      },
    );
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(count);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ i: count - 1, password: '[redacted]' });
  });

  it('resolves at once for a destination without flush', async () => {
    await expect(flush({ flush: (cb) => cb?.() })).resolves.toBeUndefined();
  });

  it('rejects with the destination error', async () => {
    const broken = new Error('disk full');
    await expect(flush({ flush: (cb) => cb?.(broken) })).rejects.toBe(broken);
  });

  it('rejects with a TimeoutError when the destination never drains', async () => {
    const err = await flush({ flush: () => {} }, { timeoutMs: 10 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ code: 'LOG_FLUSH_TIMEOUT' });
  });
});
