import { z } from 'zod';
import { perEnv } from '../per-env.js';
import { safeIssue } from '../primitives/env-string.js';
import { secret } from '../secret-schema.js';

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

const is32Bytes = (text: string) => BASE64.test(text) && Buffer.from(text, 'base64').length === 32;

/** `k2:<base64>,k1:<base64>`: unique ids, 32-byte keys. Messages name the entry number only. */
const keyring = z.string().superRefine((text, ctx) => {
  const seen = new Set<string>();
  text.split(',').forEach((entry, index) => {
    const [id = '', key = '', extra] = entry.trim().split(':');
    const n = index + 1;
    if (!KEY_ID.test(id) || extra !== undefined)
      safeIssue(ctx, `entry ${n} must be <id>:<base64 key> with id [A-Za-z0-9_-]{1,32}`);
    else if (!is32Bytes(key)) safeIssue(ctx, `entry ${n} must hold a base64-encoded 32-byte key`);
    else if (seen.has(id)) safeIssue(ctx, `entry ${n} repeats a key id`);
    seen.add(id);
  });
});

const blindIndexKey = z.string().superRefine((text, ctx) => {
  if (!is32Bytes(text.trim())) safeIssue(ctx, 'must be a base64-encoded 32-byte key');
});

/**
 * Encryption keys for `@plinth/crypto`. Both have development/test defaults
 * only: they are required in staging/production, and the development keys
 * are refused there.
 *
 * @example
 * ```ts
 * import { cryptoFragment, loadConfig } from '@plinth/config';
 * import { z } from 'zod';
 *
 * const config = await loadConfig({ schema: z.object({ ...cryptoFragment }) });
 * config.ENCRYPTION_KEYS.reveal(); // "k1:…"
 * ```
 */
export const cryptoFragment = {
  ENCRYPTION_KEYS: perEnv(secret(keyring), {
    development: 'dev1:cGxpbnRoLWRldi1vbmx5LWVuY3J5cHRpb24ta2V5LTE=',
  }).describe(
    'Field-encryption keyring, primary first: k2:<base64 32 bytes>,k1:<base64 32 bytes>.',
  ),
  BLIND_INDEX_KEY: perEnv(secret(blindIndexKey), {
    development: 'cGxpbnRoLWRldi1vbmx5LWJsaW5kLWluZGV4LWtleTE=',
  }).describe('HMAC key for blind indexes (base64, 32 bytes).'),
};
