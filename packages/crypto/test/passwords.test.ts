import {
  hashPassword,
  needsRehash,
  randomToken,
  timingSafeEqual,
  verifyPassword,
} from '@plinth/crypto';
import { describe, expect, it } from 'vitest';
import { expectCode, expectCodeAsync } from './helpers.js';

const fast = { ln: 10, r: 8, p: 1 };

describe('passwords', () => {
  it('hashes to a PHC string and verifies the right password only', async () => {
    const hash = await hashPassword('correct horse', fast);
    expect(hash).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('correct horsf', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same', fast)).not.toBe(await hashPassword('same', fast));
  });

  it('treats NFC and NFD spellings of a password as the same', async () => {
    const hash = await hashPassword('Zo\u00eb', fast);
    expect(await verifyPassword('Zoe\u0308', hash)).toBe(true);
  });

  it('uses the documented defaults', async () => {
    const hash = await hashPassword('pw');
    expect(hash.startsWith('$scrypt$ln=16,r=8,p=2$')).toBe(true);
    expect(needsRehash(hash)).toBe(false);
  });

  it('flags hashes with other parameters or algorithms for rehash', async () => {
    const hash = await hashPassword('pw', fast);
    expect(needsRehash(hash)).toBe(true);
    expect(needsRehash(hash, fast)).toBe(false);
    expect(needsRehash('$2b$10$abcdefghijklmnopqrstuv')).toBe(true);
  });

  it('rejects empty and over-long passwords with 400 ValidationErrors', async () => {
    const empty = await expectCodeAsync(() => hashPassword('', fast), 'PASSWORD_INVALID');
    expect(empty.status).toBe(400);
    await expectCodeAsync(() => hashPassword('x'.repeat(1025), fast), 'PASSWORD_TOO_LONG');
    await expectCodeAsync(() => hashPassword('é'.repeat(513), fast), 'PASSWORD_TOO_LONG');
    const hash = await hashPassword('x', fast);
    expect(await verifyPassword('x'.repeat(100_000), hash)).toBe(false);
  });

  it('rejects malformed or hostile stored hashes with PASSWORD_HASH_MALFORMED', async () => {
    for (const bad of [
      '',
      'plain',
      '$scrypt$ln=30,r=8,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA',
      '$scrypt$ln=10,r=8,p=1$!!$aGFzaA',
    ]) {
      const err = await expectCodeAsync(() => verifyPassword('pw', bad), 'PASSWORD_HASH_MALFORMED');
      expect(err.status).toBe(500);
    }
  });

  it('refuses stored hashes whose combined cost would allocate gigabytes or run for minutes', async () => {
    // Each parameter is within its own bound, but together they ask for 4 GiB
    // (128 · 2^20 · 32) and 2^29 block mixes: verify must refuse, not run.
    const salt = 'c2FsdHNhbHRzYWx0';
    const digest = 'A'.repeat(43);
    for (const params of ['ln=20,r=32,p=16', 'ln=20,r=8,p=1', 'ln=18,r=32,p=1', 'ln=16,r=8,p=16']) {
      await expectCodeAsync(
        () => verifyPassword('pw', `$scrypt$${params}$${salt}$${digest}`),
        'PASSWORD_HASH_MALFORMED',
      );
      expect(needsRehash(`$scrypt$${params}$${salt}$${digest}`)).toBe(true);
    }
  });

  it('refuses cost options above the memory and work bounds as a 500 INVALID_OPTIONS', async () => {
    for (const options of [
      { ln: 20, r: 8 },
      { ln: 16, p: 16 },
    ]) {
      const err = await expectCodeAsync(() => hashPassword('pw', options), 'INVALID_OPTIONS');
      expect(err.status).toBe(500);
      expect(err.message).toContain('cost too high');
    }
  });

  it('lists every out-of-range cost option in issues[]', async () => {
    const err = await expectCodeAsync(
      () => hashPassword('pw', { ln: 40, p: 0, maxLength: 0 }),
      'INVALID_OPTIONS',
    );
    expect((err as unknown as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual([
      'ln',
      'p',
      'maxLength',
    ]);
    expect(() => needsRehash('x', { r: 99 })).toThrow(/r must be an integer from 1 to 32/);
  });
});

describe('timingSafeEqual', () => {
  it('compares strings and bytes of any length', () => {
    expect(timingSafeEqual('secret', 'secret')).toBe(true);
    expect(timingSafeEqual('secret', 'secreT')).toBe(false);
    expect(timingSafeEqual('secret', 'secret-longer')).toBe(false);
    expect(timingSafeEqual('', '')).toBe(true);
    expect(timingSafeEqual(Buffer.from('ab'), 'ab')).toBe(true);
  });
  it('rejects non-string input with a typed error', () => {
    expectCode(
      () => timingSafeEqual(undefined as unknown as string, 'a'),
      'CRYPTO_INVALID_ARGUMENT',
    );
  });
});

describe('randomToken', () => {
  it('returns base64url of the requested entropy', () => {
    expect(randomToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(randomToken(16), 'base64url').length).toBe(16);
    expect(randomToken()).not.toBe(randomToken());
  });
  it('rejects sizes outside 1..1024 as INVALID_OPTIONS', () => {
    for (const n of [0, -1, 1.5, 4096]) expectCode(() => randomToken(n), 'INVALID_OPTIONS');
  });
});
