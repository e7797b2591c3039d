import { createHmac, createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { isUint8Array } from 'node:util/types';
import { isWellFormedString } from './encoding.js';
import { CRYPTO_ERROR_CODES, cryptoError, invalidArgument, readInput } from './errors.js';
import { createKeyring, keyringSecret, toKeyObject } from './keyring.js';

/** Options for {@link createBlindIndex}. */
export interface BlindIndexOptions {
  /**
   * The index key: 32 bytes or their base64 text (version = `version`), or the
   * config string form `"v2:<base64>,v1:<base64>"` whose ids are versions and
   * whose first entry is the one `compute` uses.
   */
  key: Uint8Array | string;
  /** What is indexed, e.g. `'clients.email'`. Each scope gets its own subkey. */
  scope: string;
  /** Truncated HMAC length in bytes, 8..32. Default 16. */
  bytes?: number;
  /** Applied to string input before hashing. Default: Unicode NFC. */
  normalize?: (value: string) => string;
  /** Version label for a single `key`. Default `'v1'`. Ignored for the config string form. */
  version?: string;
}

/** Computes blind index values for equality search on an encrypted column. */
export interface BlindIndex {
  /** Version used by `compute`. */
  readonly version: string;
  /** All versions, current first. */
  readonly versions: readonly string[];
  /** Index value under the current version: `<version>:<base64url>`. Store this. */
  compute(value: string | Uint8Array): string;
  /** Index values under every version, current first: query with `= ANY($1)` during a rotation. */
  candidates(value: string | Uint8Array): string[];
}

const SCOPE_MAX = 200;
const INFO_PREFIX = 'plinth.blind-index.v1\0';

/**
 * Blind index: HMAC-SHA256 under a per-scope subkey (HKDF-SHA256 of the index
 * key with info `plinth.blind-index.v1\0<version>\0<scope>`), truncated to
 * `bytes`, prefixed with a version so the key can rotate.
 *
 * @example
 * ```ts
 * import { createBlindIndex } from '@plinth/crypto';
 *
 * const emailIndex = createBlindIndex({
 *   key: process.env.BLIND_INDEX_KEY!,
 *   scope: 'clients.email',
 *   normalize: (v) => v.trim().toLowerCase(),
 * });
 * emailIndex.compute('Ada@Example.com'); // 'v1:…'
 * ```
 */
export function createBlindIndex(options: BlindIndexOptions): BlindIndex {
  if (options === null || typeof options !== 'object') {
    throw invalidArgument('createBlindIndex: options { key, scope } are required');
  }
  const { key, scope, bytes, normalize, version } = readInput(
    () => {
      const { key, scope, bytes = 16, normalize = (v: string) => v.normalize('NFC') } = options;
      return { key, scope, bytes, normalize, version: options.version ?? 'v1' };
    },
    CRYPTO_ERROR_CODES.INVALID_ARGUMENT,
    'createBlindIndex: options',
  );
  if (typeof scope !== 'string' || scope.length === 0 || scope.length > SCOPE_MAX) {
    throw invalidArgument(
      `createBlindIndex: scope must be a non-empty string up to ${SCOPE_MAX} characters`,
    );
  }
  if (!Number.isInteger(bytes) || bytes < 8 || bytes > 32) {
    throw invalidArgument('createBlindIndex: bytes must be an integer from 8 to 32');
  }
  if (typeof normalize !== 'function')
    throw invalidArgument('createBlindIndex: normalize must be a function');

  const roots: { version: string; key: KeyObject }[] = [];
  if (typeof key === 'string' && key.includes(':')) {
    const ring = createKeyring(key);
    const secret = keyringSecret(ring);
    for (const info of ring.keys) roots.push({ version: info.id, key: secret.get(info.id)!.key! });
  } else {
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(version)) {
      throw cryptoError(
        CRYPTO_ERROR_CODES.KEYRING_INVALID,
        'Blind index version must match [A-Za-z0-9_-]{1,32}',
      );
    }
    roots.push({ version, key: toKeyObject(key, 'Blind index key') });
  }

  const subkeys = roots.map((root) => {
    const derived = Buffer.from(
      hkdfSync(
        'sha256',
        root.key.export(),
        Buffer.alloc(0),
        `${INFO_PREFIX}${root.version}\0${scope}`,
        32,
      ),
    );
    const object = createSecretKey(derived);
    derived.fill(0);
    return { prefix: `${root.version}:`, key: object };
  });

  function mac(subkey: { prefix: string; key: KeyObject }, input: string | Uint8Array): string {
    const digest = createHmac('sha256', subkey.key).update(input).digest();
    return subkey.prefix + digest.subarray(0, bytes).toString('base64url');
  }

  function prepare(value: string | Uint8Array): string | Uint8Array {
    if (typeof value === 'string') {
      let normalized: unknown;
      try {
        normalized = normalize(value);
      } catch (err) {
        // No cause and no message: a hook's error text often quotes the value.
        throw invalidArgument('Blind index normalize() threw; its error is withheld', {
          errorName: err instanceof Error ? err.name : typeof err,
        });
      }
      if (typeof normalized !== 'string')
        throw invalidArgument('Blind index normalize() must return a string');
      if (!isWellFormedString(normalized)) {
        throw invalidArgument('Blind index value has a lone surrogate (not valid Unicode)');
      }
      return normalized;
    }
    if (isUint8Array(value)) return value;
    throw invalidArgument('Blind index value must be a string or a Uint8Array');
  }

  return Object.freeze({
    version: roots[0]!.version,
    versions: Object.freeze(roots.map((r) => r.version)),
    compute: (value: string | Uint8Array) => mac(subkeys[0]!, prepare(value)),
    candidates(value: string | Uint8Array) {
      const input = prepare(value);
      return subkeys.map((s) => mac(s, input));
    },
  });
}
