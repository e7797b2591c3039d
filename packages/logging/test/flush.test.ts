import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TimeoutError } from '@plinth/errors';
import { flush } from '@plinth/logging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = resolve(here, '..');
// The child runs the BUILT package (turbo runs `build` before `test`), so this
// also exercises dist/ the way a consumer loads it.
const bundle = join(pkg, 'dist', 'index.js');
const dir = mkdtempSync(join(tmpdir(), 'plinth-flush-'));

beforeAll(() => {
  if (!existsSync(bundle))
    throw new Error('packages/logging/dist is missing: run `npx tsup` first');
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

  it.each([
    ['a null logger', null, undefined, 'logger'],
    ['a logger without flush()', {}, undefined, 'logger'],
    ['a negative timeoutMs', { flush: () => {} }, { timeoutMs: -1 }, 'timeoutMs'],
  ])('rejects %s with an OptionsError', async (_label, logger, options, path) => {
    const err = await flush(logger as never, options as never).catch((e: unknown) => e);
    expect(err).toMatchObject({
      name: 'OptionsError',
      code: 'INVALID_OPTIONS',
      issues: [expect.objectContaining({ path })],
    });
  });
});
