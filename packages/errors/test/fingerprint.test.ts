import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AppError, NotFoundError, toAppError } from '@plinth/errors';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const child = fileURLToPath(new URL('./fixtures/fingerprint-child.mjs', import.meta.url));

function requireDist() {
  if (!existsSync(dist)) {
    throw new Error(
      `${dist} is missing: run \`npx tsup\` in packages/errors (turbo builds before test)`,
    );
  }
}

describe('fingerprint', () => {
  it('is 16 hex characters', () => {
    expect(new NotFoundError().fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('is the same for every error of one code thrown at one site', () => {
    const make = (id: number) => new NotFoundError(`client ${id} not found`, { details: { id } });
    const prints = new Set([1, 2, 3].map((id) => make(id).fingerprint));
    expect(prints.size).toBe(1);
  });

  it('differs between throw sites and between codes at one site', () => {
    const a = new NotFoundError();
    const b = new NotFoundError();
    expect(a.fingerprint).not.toBe(b.fingerprint);
    const make = (code: string) => new AppError('x', { code });
    expect(make('A_B').fingerprint).not.toBe(make('C_D').fingerprint);
  });

  it('ignores frame-shaped text in the message', () => {
    const make = (message: string) => new NotFoundError(message);
    const plain = make('plain').fingerprint;
    const spoof = make('line one\n    at evil (/tmp/evil.js:1:1)').fingerprint;
    expect(spoof).toBe(plain);
  });

  it('does not change after the error is thrown and caught elsewhere', () => {
    const err = new NotFoundError();
    const before = err.fingerprint;
    let caught: unknown;
    try {
      throw err;
    } catch (e) {
      caught = e;
    }
    expect((caught as AppError).fingerprint).toBe(before);
    expect(toAppError(caught).fingerprint).toBe(before);
  });

  it('is stable across process restarts and differs across sites', () => {
    requireDist();
    const run = () =>
      JSON.parse(
        execFileSync(process.execPath, [child, pathToFileURL(dist).href], { encoding: 'utf8' }),
      );
    const first = run();
    const second = run();
    expect(second).toEqual(first);
    expect(new Set([first.a, first.b, first.w]).size).toBe(3);
  });
});
