import { randomBytes } from 'node:crypto';
import { createFieldCipher, createKeyring } from '@plinth/crypto';
import { describe, expect, it } from 'vitest';
import { b64, catchError, expectCode, K1, K2, serialised } from './helpers.js';

const ctx = { table: 'clients', column: 'email', row: 'r-1', tenant: 't1' };
const ring1 = createKeyring(`k1:${b64(K1)}`);
const cipher = createFieldCipher({ keyring: ring1 });

describe('field cipher round trips', () => {
  const values: [string, string][] = [
    ['empty', ''],
    ['ASCII', 'ada@example.com'],
    ['multi-byte UTF-8', 'Zoë 🧑‍💻 東京 \u0000 \ud83d\ude00'],
    ['1 MB', 'x'.repeat(1024 * 1024)],
  ];
  for (const [what, value] of values) {
    it(`round-trips a ${what} string`, () => {
      const ct = cipher.encrypt(value, ctx);
      expect(ct.startsWith('pl1.k1.')).toBe(true);
      expect(cipher.decrypt(ct, ctx)).toBe(value);
    });
  }

  it('round-trips bytes through decryptBuffer, including non-UTF-8 bytes', () => {
    const bytes = randomBytes(300);
    const ct = cipher.encrypt(bytes, ctx);
    expect(cipher.decryptBuffer(ct, ctx).equals(bytes)).toBe(true);
    expect(cipher.decryptBuffer(cipher.encrypt(new Uint8Array(0), ctx), ctx).length).toBe(0);
  });

  it('produces the documented shape with a fresh nonce each time', () => {
    const a = cipher.encrypt('same', ctx);
    const b = cipher.encrypt('same', ctx);
    expect(a).toMatch(/^pl1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{27}$/);
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
  });

  it('treats context key order as irrelevant', () => {
    const ct = cipher.encrypt('v', { a: '1', b: '2' });
    expect(cipher.decrypt(ct, { b: '2', a: '1' })).toBe('v');
  });
});

describe('field cipher binding', () => {
  const ct = cipher.encrypt('ada@example.com', ctx);
  const moves: [string, Record<string, string>][] = [
    ['another row', { ...ctx, row: 'r-2' }],
    ['another column', { ...ctx, column: 'phone' }],
    ['another table', { ...ctx, table: 'users' }],
    ['another tenant', { ...ctx, tenant: 't2' }],
    ['a context with an extra key', { ...ctx, extra: '' }],
    ['a context with one key less', { table: 'clients', column: 'email', row: 'r-1' }],
  ];
  for (const [what, other] of moves) {
    it(`fails with DECRYPT_FAILED when moved to ${what}`, () => {
      const err = expectCode(() => cipher.decrypt(ct, other), 'DECRYPT_FAILED');
      expect(err.status).toBe(500);
      const text = serialised(err);
      for (const v of ['ada@example.com', 'r-1', 'r-2', 't1', 't2', b64(K1)])
        expect(text).not.toContain(v);
    });
  }

  it('refuses a missing or empty context on every call with CRYPTO_INVALID_ARGUMENT', () => {
    // Without a context the value would decrypt in any row, column or tenant.
    const none = [undefined, {}] as unknown as Record<string, string>[];
    for (const missing of none) {
      const calls: [string, () => unknown][] = [
        ['encrypt', () => cipher.encrypt('secret data', missing)],
        ['encrypt bytes', () => cipher.encrypt(Buffer.from('secret data'), missing)],
        ['decrypt', () => cipher.decrypt(ct, missing)],
        ['decryptBuffer', () => cipher.decryptBuffer(ct, missing)],
        ['rotate', () => cipher.rotate(ct, missing)],
      ];
      for (const [what, call] of calls) {
        const err = expectCode(call, 'CRYPTO_INVALID_ARGUMENT');
        expect(err.message, what).toMatch(/context is (required|empty)/);
        expect(serialised(err)).not.toContain('secret data');
      }
    }
    const noArgument = cipher.encrypt as unknown as (plaintext: string) => string;
    expectCode(() => noArgument('secret data'), 'CRYPTO_INVALID_ARGUMENT');
  });

  it('rejects non-string context values with CRYPTO_INVALID_ARGUMENT and without the value', () => {
    const err = expectCode(
      () => cipher.encrypt('v', { row: 12345 as unknown as string }),
      'CRYPTO_INVALID_ARGUMENT',
    );
    expect(serialised(err)).not.toContain('12345');
    expectCode(
      () => cipher.encrypt('v', null as unknown as Record<string, string>),
      'CRYPTO_INVALID_ARGUMENT',
    );
    expectCode(() => cipher.encrypt(42 as unknown as string, ctx), 'CRYPTO_INVALID_ARGUMENT');
  });

  it('refuses plaintext with lone surrogates, which UTF-8 cannot carry back', () => {
    // UTF-8 encoding turns a lone surrogate into U+FFFD: decrypt would return
    // something other than what went in.
    for (const value of ['\ud800', 'ab\udfff', '\ude00\ud83d']) {
      const err = expectCode(() => cipher.encrypt(value, ctx), 'CRYPTO_INVALID_ARGUMENT');
      expect(err.message).toMatch(/surrogate/);
    }
  });

  it('accepts lone surrogates in context values, which JSON escapes unambiguously', () => {
    const odd = { row: '\ud800', table: '\u2028"\\' };
    const ct = cipher.encrypt('v', odd);
    expect(cipher.decrypt(ct, odd)).toBe('v');
    expectCode(() => cipher.decrypt(ct, { row: '\ufffd', table: '\u2028"\\' }), 'DECRYPT_FAILED');
  });
});

describe('field cipher tampering', () => {
  const secret = 'Zoë';
  const ct = cipher.encrypt(secret, ctx);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!';

  it('rejects every single-character change at every position of the string', () => {
    let checked = 0;
    for (let i = 0; i < ct.length; i++) {
      for (const ch of [
        alphabet[(alphabet.indexOf(ct[i]!) + 1) % alphabet.length]!,
        '.',
        'A',
        'z',
      ]) {
        if (ch === ct[i]) continue;
        const tampered = ct.slice(0, i) + ch + ct.slice(i + 1);
        const err = catchError(() => cipher.decrypt(tampered, ctx));
        expect(['DECRYPT_FAILED', 'CIPHERTEXT_MALFORMED', 'UNKNOWN_KEY']).toContain(err.code);
        expect(serialised(err)).not.toContain(secret);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(ct.length * 3);
  });

  it('rejects a flip of any bit of the decoded nonce, ciphertext and tag with DECRYPT_FAILED', () => {
    const [p, k, nonceText, bodyText] = ct.split('.') as [string, string, string, string];
    for (const part of ['nonce', 'body'] as const) {
      const bytes = Buffer.from(part === 'nonce' ? nonceText : bodyText, 'base64url');
      for (let i = 0; i < bytes.length; i++) {
        for (let bit = 0; bit < 8; bit++) {
          const copy = Buffer.from(bytes);
          copy[i]! ^= 1 << bit;
          const text = copy.toString('base64url');
          const tampered =
            part === 'nonce' ? `${p}.${k}.${text}.${bodyText}` : `${p}.${k}.${nonceText}.${text}`;
          expectCode(() => cipher.decrypt(tampered, ctx), 'DECRYPT_FAILED');
        }
      }
    }
  });

  it('rejects a body that is truncated or extended', () => {
    const head = ct.slice(0, ct.lastIndexOf('.') + 1);
    const body = Buffer.from(ct.slice(head.length), 'base64url');
    for (const changed of [
      body.subarray(0, -1),
      body.subarray(1),
      Buffer.concat([body, Buffer.alloc(1)]),
    ]) {
      expectCode(() => cipher.decrypt(head + changed.toString('base64url'), ctx), 'DECRYPT_FAILED');
    }
    expectCode(
      () => cipher.decrypt(ct.slice(0, ct.lastIndexOf('.') + 10), ctx),
      'CIPHERTEXT_MALFORMED',
    );
  });

  it('rejects non-canonical base64url whose unused bits differ', () => {
    const nonceText = ct.split('.')[2]!;
    const body = ct.split('.')[3]!;
    expect(body.length % 4).not.toBe(0);
    // The last character carries unused low bits; setting one keeps the decoded bytes the same.
    const last = body[body.length - 1]!;
    const idx = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(last);
    const sibling = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[idx | 1]!;
    const tampered = `pl1.k1.${nonceText}.${body.slice(0, -1)}${sibling}`;
    expect(
      Buffer.from(tampered.split('.')[3]!, 'base64url').equals(Buffer.from(body, 'base64url')),
    ).toBe(true);
    expectCode(() => cipher.decrypt(tampered, ctx), 'CIPHERTEXT_MALFORMED');
  });
});

describe('key rotation', () => {
  it('decrypts old values after a new primary, flags them and rotates them', () => {
    const old = createFieldCipher({ keyring: createKeyring(`k1:${b64(K1)}`) }).encrypt('v', ctx);
    const next = createFieldCipher({ keyring: createKeyring(`k2:${b64(K2)},k1:${b64(K1)}`) });
    expect(next.decrypt(old, ctx)).toBe('v');
    expect(next.needsRotation(old)).toBe(true);
    const rotated = next.rotate(old, ctx);
    expect(rotated.startsWith('pl1.k2.')).toBe(true);
    expect(next.needsRotation(rotated)).toBe(false);
    expect(next.decrypt(rotated, ctx)).toBe('v');
    expect(next.rotate(rotated, ctx)).toBe(rotated);
    expect(next.keyIdOf(rotated)).toBe('k2');
  });

  it('refuses values under a retired key with KEY_RETIRED and unknown ids with UNKNOWN_KEY', () => {
    const old = cipher.encrypt('v', ctx);
    const retired = createFieldCipher({
      keyring: createKeyring([
        { id: 'k2', key: K2, status: 'primary' },
        { id: 'k1', key: K1, status: 'retired' },
      ]),
    });
    expectCode(() => retired.decrypt(old, ctx), 'KEY_RETIRED');
    expect(retired.needsRotation(old)).toBe(true);
    const other = createFieldCipher({ keyring: createKeyring(`k9:${b64(K2)}`) });
    expectCode(() => other.decrypt(old, ctx), 'UNKNOWN_KEY');
  });

  it('does not rotate a tampered value under the primary key', () => {
    const ct = cipher.encrypt('v', ctx);
    expectCode(() => cipher.rotate(ct, { ...ctx, row: 'other' }), 'DECRYPT_FAILED');
  });

  it('detects a key swapped under the same id', () => {
    const ct = cipher.encrypt('v', ctx);
    const impostor = createFieldCipher({ keyring: createKeyring(`k1:${b64(K2)}`) });
    expectCode(() => impostor.decrypt(ct, ctx), 'DECRYPT_FAILED');
  });
});

describe('malformed input', () => {
  const cases = [
    '',
    'pl1',
    'pl1.',
    'pl1.k1',
    'pl1.k1.AAAA',
    'pl2.k1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA',
    'pl1.k 1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA',
  ];
  for (const value of cases) {
    it(`rejects ${JSON.stringify(value)} with CIPHERTEXT_MALFORMED`, () => {
      expectCode(() => cipher.decrypt(value, ctx), 'CIPHERTEXT_MALFORMED');
      expectCode(() => cipher.needsRotation(value), 'CIPHERTEXT_MALFORMED');
    });
  }
  it('rejects non-strings with CIPHERTEXT_MALFORMED', () => {
    expectCode(() => cipher.decrypt(undefined as unknown as string, ctx), 'CIPHERTEXT_MALFORMED');
    expectCode(
      () => cipher.decrypt(Buffer.from('x') as unknown as string, ctx),
      'CIPHERTEXT_MALFORMED',
    );
  });
});
