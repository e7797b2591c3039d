import { ConfigError, loadConfig, toEnvExample } from '@plinth/config';
import { createBlindIndex, createFieldCipher } from '@plinth/crypto';
import { cryptoFragment } from '@plinth/crypto/config';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { b64, K1, K2 } from './helpers.js';

const DEV_ENC = 'cGxpbnRoLWRldi1vbmx5LWVuY3J5cHRpb24ta2V5LTE=';
const DEV_IDX = 'cGxpbnRoLWRldi1vbmx5LWJsaW5kLWluZGV4LWtleTE=';
const schema = z.object({ ...cryptoFragment });
type Env = Record<string, string>;
const load = (env: Env, environment: 'development' | 'production' | 'staging' = 'production') =>
  loadConfig({ schema, env, environment, files: false });

async function reasons(env: Env, environment?: 'production' | 'staging' | 'development') {
  const error = await load(env, environment).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ConfigError)) throw new Error('expected a ConfigError');
  return error.issues.map((i) => `${i.key}: ${i.reason}`);
}

const REAL = { ENCRYPTION_KEYS: `k1:${b64(K1)}`, BLIND_INDEX_KEY: b64(K2) };

describe('@plinth/crypto/config', () => {
  it('loads development keys as keyrings the cipher and the blind index use', async () => {
    const config = await load({}, 'development');
    const cipher = createFieldCipher({ keyring: config.ENCRYPTION_KEYS.reveal() });
    expect(config.ENCRYPTION_KEYS.reveal().primaryId).toBe('dev1');
    expect(cipher.decrypt(cipher.encrypt('x', { t: '1' }), { t: '1' })).toBe('x');
    const index = createBlindIndex({ key: config.BLIND_INDEX_KEY.reveal(), scope: 's' });
    expect(index.compute('a')).toBe(createBlindIndex({ key: DEV_IDX, scope: 's' }).compute('a'));
    expect(String(config.ENCRYPTION_KEYS)).toBe('[redacted]');
  });

  it('accepts real keys in production, a rotation pair included', async () => {
    const config = await load({
      ENCRYPTION_KEYS: `k2:${b64(K2)}, k1:${b64(K1)}`,
      BLIND_INDEX_KEY: `v2:${b64(K1)},v1:${b64(K2)}`,
    });
    expect(config.ENCRYPTION_KEYS.reveal().keys.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(createBlindIndex({ key: config.BLIND_INDEX_KEY.reveal(), scope: 's' }).versions).toEqual(
      ['v2', 'v1'],
    );
  });

  it('requires both keys in staging and production', async () => {
    for (const environment of ['staging', 'production'] as const) {
      expect(await reasons({}, environment)).toEqual([
        `BLIND_INDEX_KEY: required in ${environment} (its default applies only in development and test)`,
        `ENCRYPTION_KEYS: required in ${environment} (its default applies only in development and test)`,
      ]);
    }
  });

  it("reports a bad keyring with the parser's message, by entry number, never a key", async () => {
    const result = await reasons(
      { ENCRYPTION_KEYS: `a:${b64(K1)},b c:${b64(K2)}`, BLIND_INDEX_KEY: 'c2hvcnQ=' },
      'development',
    );
    expect(result).toEqual([
      'BLIND_INDEX_KEY: Keyring entry 1: key must be 32 bytes, got 5',
      'ENCRYPTION_KEYS: Keyring entry 2: expected "<id>:<base64 key>" with id [A-Za-z0-9_-]{1,32}',
    ]);
    expect(
      await reasons({ ...REAL, ENCRYPTION_KEYS: `a:${b64(K1)},a:${b64(K2)}` }, 'development'),
    ).toEqual(['ENCRYPTION_KEYS: Keyring entry 2 repeats a key id']);
    expect(result.join('\n')).not.toContain(b64(K2).slice(0, 8));
  });

  it('documents both keys as blank secrets in .env.example', () => {
    const example = toEnvExample(schema);
    expect(example).toMatch(/^ENCRYPTION_KEYS=$/m);
    expect(example).toMatch(/^BLIND_INDEX_KEY=$/m);
    expect(example).not.toContain(DEV_ENC);
  });
});

// Issue 13.3: the old guard compared raw strings, so each spelling below passed in production.
describe('development key material in production', () => {
  const unpadded = (text: string) => text.replace(/=+$/, '');
  const spellings: [string, Env][] = [
    ['ENCRYPTION_KEYS set to its default', { ENCRYPTION_KEYS: `dev1:${DEV_ENC}` }],
    ['ENCRYPTION_KEYS with a leading space', { ENCRYPTION_KEYS: ` dev1:${DEV_ENC}` }],
    ['ENCRYPTION_KEYS with a trailing tab', { ENCRYPTION_KEYS: `dev1:${DEV_ENC}\t` }],
    ['ENCRYPTION_KEYS in unpadded base64', { ENCRYPTION_KEYS: `dev1:${unpadded(DEV_ENC)}` }],
    ['the development key under another id', { ENCRYPTION_KEYS: `prod:${DEV_ENC}` }],
    [
      'the development key as an older, active entry',
      { ENCRYPTION_KEYS: `k2:${b64(K2)},old:${DEV_ENC}` },
    ],
    ['the blind-index development key as a field key', { ENCRYPTION_KEYS: `k1:${DEV_IDX}` }],
    ['BLIND_INDEX_KEY set to its default', { BLIND_INDEX_KEY: DEV_IDX }],
    ['BLIND_INDEX_KEY with a leading space', { BLIND_INDEX_KEY: ` ${DEV_IDX}` }],
    ['BLIND_INDEX_KEY with a trailing tab', { BLIND_INDEX_KEY: `${DEV_IDX}\t` }],
    ['BLIND_INDEX_KEY in unpadded base64', { BLIND_INDEX_KEY: unpadded(DEV_IDX) }],
    ['BLIND_INDEX_KEY as a versioned entry', { BLIND_INDEX_KEY: `v2:${DEV_IDX}` }],
    [
      'BLIND_INDEX_KEY keeping the development key as the old version',
      { BLIND_INDEX_KEY: `v2:${b64(K1)},v1:${DEV_IDX}` },
    ],
    ['the field development key as the index key', { BLIND_INDEX_KEY: DEV_ENC }],
  ];
  for (const [what, env] of spellings) {
    it(`refuses ${what}`, async () => {
      const [key] = Object.keys(env);
      const result = await reasons({ ...REAL, ...env });
      expect(result).toHaveLength(1);
      expect(result[0]).toMatch(
        new RegExp(
          `^${key}: (is set to its development default|holds development key material), which is refused in production$`,
        ),
      );
      expect(result[0]).not.toContain(DEV_ENC.slice(0, 8));
    });
  }

  it('allows the development keys in development', async () => {
    await expect(
      load({ ENCRYPTION_KEYS: `prod:${DEV_ENC}` }, 'development'),
    ).resolves.toBeDefined();
  });
});
