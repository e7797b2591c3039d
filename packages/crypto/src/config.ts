import { createSecretKey } from 'node:crypto';
import { perEnv, refuseInProduction, type Secret, secret } from '@plinth/config';
import { isAppError } from '@plinth/errors';
import { z } from 'zod';
import { indexKeyring } from './blind-index.js';
import { CRYPTO_ERROR_CODES } from './errors.js';
import { createKeyring, type Keyring, keyringSecret } from './keyring.js';

const DEV_ENCRYPTION_KEYS = 'dev1:cGxpbnRoLWRldi1vbmx5LWVuY3J5cHRpb24ta2V5LTE=';
const DEV_BLIND_INDEX_KEY = 'cGxpbnRoLWRldi1vbmx5LWJsaW5kLWluZGV4LWtleTE=';
/** Every published development key, as bytes: refused under any id, spelling or variable. */
const DEV_KEYS = [DEV_ENCRYPTION_KEYS.slice(5), DEV_BLIND_INDEX_KEY].map((text) =>
  createSecretKey(Buffer.from(text, 'base64')),
);

/** Text parsed once by the package's own keyring parser; its message (entry numbers, no key) is the issue. */
const keyringText = (parse: (text: string) => Keyring) =>
  z.string().transform((text, ctx) => {
    try {
      return parse(text);
    } catch (err) {
      if (!isAppError(err) || err.code !== CRYPTO_ERROR_CODES.KEYRING_INVALID) throw err;
      ctx.addIssue({ code: 'custom', message: err.message });
      return z.NEVER;
    }
  });

/** True when any key in the ring, under any id and status, has the bytes of a development key. */
function holdsDevelopmentKey(value: Secret<Keyring>): boolean {
  const ring = value.reveal();
  const secrets = keyringSecret(ring, 'cryptoFragment');
  return ring.keys.some(({ id }) => {
    const key = secrets.get(id)?.key;
    return key !== undefined && DEV_KEYS.some((dev) => dev.equals(key));
  });
}

function keyringSetting(parse: (text: string) => Keyring, development: string) {
  return refuseInProduction(
    perEnv(secret(keyringText(parse)), { development }),
    holdsDevelopmentKey,
    'holds development key material',
  );
}

/**
 * The settings of `@plinth/crypto` as a `@plinth/config` schema fragment.
 * Both values are parsed by `createKeyring` (so the config and the cipher
 * accept exactly the same text) and load as a `Secret<Keyring>`. Each has a
 * development/test default only: it is required in staging and production,
 * and there any development key bytes are refused, whatever the spelling
 * (spaces, unpadded or URL-safe base64) or key id.
 *
 * @example
 * ```ts
 * import { loadConfig } from '@plinth/config';
 * import { createBlindIndex, createFieldCipher } from '@plinth/crypto';
 * import { cryptoFragment } from '@plinth/crypto/config';
 * import { z } from 'zod';
 *
 * const config = await loadConfig({ schema: z.object({ ...cryptoFragment }) });
 * const cipher = createFieldCipher({ keyring: config.ENCRYPTION_KEYS.reveal() });
 * const emailIndex = createBlindIndex({ key: config.BLIND_INDEX_KEY.reveal(), scope: 'clients.email' });
 * ```
 */
export const cryptoFragment = {
  ENCRYPTION_KEYS: keyringSetting(createKeyring, DEV_ENCRYPTION_KEYS).describe(
    'Field-encryption keyring, primary first: k2:<base64 32 bytes>,k1:<base64 32 bytes>.',
  ),
  BLIND_INDEX_KEY: keyringSetting((text) => indexKeyring(text, 'v1'), DEV_BLIND_INDEX_KEY).describe(
    'HMAC key for blind indexes: <base64 32 bytes> (version v1), or v2:<base64>,v1:<base64> while rotating.',
  ),
};
