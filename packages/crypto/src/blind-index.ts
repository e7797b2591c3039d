import { createHmac, createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { isUint8Array } from 'node:util/types';
import { invalidOptions, type OptionIssueInput, requireOptionsObject } from '@plinth/errors';
import { isWellFormedString } from './encoding.js';
import { errorName, invalidArgument } from './errors.js';
import { createKeyring, KEYRING_SECRET, type Keyring, keyringSecret } from './keyring.js';

/** Options for {@link createBlindIndex}. */
export interface BlindIndexOptions {
  /**
   * The index key: 32 bytes or their base64 text (version = `version`), the
   * config string form `"v2:<base64>,v1:<base64>"`, or a {@link Keyring}
   * (what `@plinth/crypto/config` gives for `BLIND_INDEX_KEY`). Ids are
   * versions; the primary is the one `compute` uses; retired ones are skipped.
   */
  key: Uint8Array | string | Keyring;
  /** What is indexed, e.g. `'clients.email'`. Each scope gets its own subkey. */
  scope: string;
  /** Truncated HMAC length in bytes, 8..32. Default 16. */
  bytes?: number;
  /** Applied to string input before hashing. Default: Unicode NFC. */
  normalize?: (value: string) => string;
  /** Version label for a single `key`. Default `'v1'`. Ignored for the keyring forms. */
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

/** The index key as a keyring whose ids are versions (primary first). */
export function indexKeyring(key: BlindIndexOptions['key'], version: string): Keyring {
  if (typeof key === 'string' && key.includes(':')) return createKeyring(key);
  if (typeof key === 'string' || isUint8Array(key)) {
    return createKeyring([{ id: version, key, status: 'primary' }]);
  }
  if (typeof key !== 'object' || key === null || !(KEYRING_SECRET in key)) {
    throw invalidOptions('createBlindIndex', {
      path: 'key',
      message: 'must be 32 bytes, their base64 text, "v2:<base64>,v1:<base64>" or a Keyring',
    });
  }
  return key;
}
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
  const {
    key,
    scope,
    bytes = 16,
    normalize = (v: string) => v.normalize('NFC'),
  } = requireOptionsObject(options, 'createBlindIndex', 'a key and a scope');
  const issues: OptionIssueInput[] = [];
  if (typeof normalize !== 'function') {
    issues.push({ path: 'normalize', message: 'must be a function (value: string) => string' });
  }
  if (typeof scope !== 'string' || scope.length === 0 || scope.length > SCOPE_MAX) {
    issues.push({
      path: 'scope',
      message: `must be a non-empty string up to ${SCOPE_MAX} characters`,
    });
  }
  if (!Number.isInteger(bytes) || bytes < 8 || bytes > 32) {
    issues.push({ path: 'bytes', message: 'must be an integer from 8 to 32' });
  }
  if (issues.length > 0) throw invalidOptions('createBlindIndex', issues);

  const ring = indexKeyring(key, options.version ?? 'v1');
  const secret = keyringSecret(ring, 'createBlindIndex');
  const roots = ring.keys
    .filter((info) => info.status !== 'retired')
    .map((info) => ({ version: info.id, key: secret.get(info.id)!.key! }));

  const subkeys = roots.map((root) => {
    const info = `${INFO_PREFIX}${root.version}\0${scope}`;
    const derived = Buffer.from(hkdfSync('sha256', root.key, Buffer.alloc(0), info, 32));
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
          errorName: errorName(err),
        });
      }
      if (typeof normalized !== 'string') {
        throw invalidOptions('createBlindIndex', {
          path: 'normalize',
          message: 'must return a string',
        });
      }
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
