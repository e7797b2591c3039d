import { isSensitiveKey, sanitize } from '@plinth/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capture } from './helpers.js';

// 12.1: the logger and sanitize are one engine. For arbitrary nested values
// with sensitive keys and secret-bearing strings (issue 13 shapes included),
// the line's field equals sanitize's JSON, and neither holds the secret.

const SENSITIVE = [
  'password',
  'Authorization',
  'x-api-key',
  'client_secret',
  'refreshToken',
  'ENCRYPTION_KEYS',
  'BLIND_INDEX_KEY',
  'encryptionKey',
  'masterKey',
  'signingKey',
  'hmacKey',
  'privKey',
  'passcode',
  'cvv2',
  'cc_number',
  'ccNumber',
  'connect.sid',
  'sid',
  'social_security_number',
  'mfaCode',
  'email',
  'dateOfBirth',
];
const PLAIN = ['id', 'note', 'items', 'meta', 'user', 'status', 'route'];

const secret = fc
  .array(fc.constantFrom(...'ABCDEFGHJKabcdefghjk'), { minLength: 12, maxLength: 20 })
  .map((a) => `Zq${a.join('')}9x`);

/**
 * `s` in one of the shapes a leak came from, each of which the engine must
 * find whatever key (or array slot) holds it: key=value text, a bearer token
 * in prose, JSON encoded twice, a DSN, name/value pair arrays, a nested
 * sensitive key.
 */
const shaped = (s: string) =>
  fc.constantFrom(
    `password=${s}`,
    `note Bearer ${s} end`,
    JSON.stringify(JSON.stringify({ token: s })),
    `postgres://app:${s}@db/app`,
    ['x-api-key', s],
    ['Host', 'h', 'Cookie', `sid=${s}`],
    { password: s },
  );

/** What a sensitive key may hold: the bare secret too (only its key gives it away). */
const carrier = (s: string) => fc.oneof(fc.constant(s), shaped(s));

function tree(s: string) {
  return fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      fc.string({ maxLength: 10 }),
      shaped(s),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      tie('array'),
      tie('object'),
    ),
    array: fc.array(tie('node'), { maxLength: 4 }),
    object: fc
      .array(
        fc.oneof(
          fc.tuple(fc.constantFrom(...PLAIN), tie('node')),
          // Under a key that says nothing, only the value's shape can give the secret away.
          fc.tuple(fc.constantFrom(...PLAIN), shaped(s)),
          fc.tuple(fc.constantFrom(...SENSITIVE), carrier(s)),
        ),
        { maxLength: 5 },
      )
      .map((entries) => Object.fromEntries(entries)),
  })).node;
}

describe('the logger and sanitize agree (property)', () => {
  it('write the same redacted value and never the planted secret', () => {
    fc.assert(
      fc.property(
        secret.chain((s) => fc.tuple(fc.constant(s), tree(s))),
        ([s, value]) => {
          const { logger, raw, last } = capture();
          logger.info({ v: value });
          const expected = JSON.parse(JSON.stringify({ v: sanitize(value) })).v;
          expect(last().v).toEqual(expected);
          expect(raw.join('')).not.toContain(s);
          expect(JSON.stringify(sanitize(value))).not.toContain(s);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('redact printf messages exactly as sanitize redacts the joined text', () => {
    fc.assert(
      fc.property(
        secret,
        fc.constantFrom(...SENSITIVE.filter((k) => isSensitiveKey(k))),
        (s, key) => {
          const { logger, raw, last } = capture();
          logger.info('%s=%s', key, s);
          expect(last().msg).toBe(sanitize(`${key}=${s}`));
          expect(raw.join('')).not.toContain(s);
        },
      ),
      { numRuns: 200 },
    );
  });
});
