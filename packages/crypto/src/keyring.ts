import { createSecretKey, type KeyObject } from 'node:crypto';
import { isUint8Array } from 'node:util/types';
import { invalidOptions } from '@plinth/errors';
import { decodeKeyText } from './encoding.js';
import { CRYPTO_ERROR_CODES, cryptoError } from './errors.js';
import { KEY_ID_PATTERN, KEY_ID_RULE } from './key-id.js';

/** Lifecycle of a key: `primary` encrypts and decrypts, `active` decrypts, `retired` is refused. */
export type KeyStatus = 'primary' | 'active' | 'retired';

/** One key as given to {@link createKeyring}. `key` may be omitted for a retired key. */
export interface KeyInput {
  /** {@link KEY_ID_PATTERN}; written into every ciphertext. */
  id: string;
  /** 32 bytes, or their base64/base64url text. */
  key?: Uint8Array | string;
  status: KeyStatus;
}

/** Public, non-secret view of one key. */
export interface KeyInfo {
  readonly id: string;
  readonly status: KeyStatus;
}

/**
 * An immutable set of 256-bit keys. Key bytes are held in `KeyObject`s behind a
 * non-enumerable symbol, so `JSON.stringify`, `util.inspect` and loggers only
 * ever see ids and statuses.
 */
export interface Keyring {
  /** Id of the single primary key (the one that encrypts). */
  readonly primaryId: string;
  /** Ids and statuses, primary first. */
  readonly keys: readonly KeyInfo[];
  /** Status of a key id, or undefined when unknown. */
  status(id: string): KeyStatus | undefined;
  toJSON(): { primaryId: string; keys: readonly KeyInfo[] };
}

/** Internal accessor, shared across bundled copies through `Symbol.for`. */
export const KEYRING_SECRET = Symbol.for('plinth.crypto.keyring.v1');

/** What the internal accessor returns: `undefined` key for retired entries. */
export interface KeyringSecret {
  get(id: string): { status: KeyStatus; key: KeyObject | undefined } | undefined;
}

const KEY_BYTES = 32;
const STATUSES = new Set<KeyStatus>(['primary', 'active', 'retired']);

function invalid(message: string, context?: Record<string, unknown>): never {
  throw cryptoError(CRYPTO_ERROR_CODES.KEYRING_INVALID, message, context);
}

/** Turns 32 bytes or base64 text into a KeyObject; `where` describes the entry, never the key. */
export function toKeyObject(key: unknown, where: string): KeyObject {
  let bytes: Buffer | undefined;
  if (typeof key === 'string') {
    bytes = decodeKeyText(key);
    if (bytes === undefined) invalid(`${where}: key is not valid base64`);
  } else if (isUint8Array(key)) {
    bytes = Buffer.from(key); // copy: later changes to the caller's buffer must not affect us
  } else {
    invalid(`${where}: key must be a Uint8Array or a base64 string`);
  }
  if (bytes.length !== KEY_BYTES) {
    bytes.fill(0);
    invalid(`${where}: key must be ${KEY_BYTES} bytes, got ${bytes.length}`);
  }
  const object = createSecretKey(bytes);
  bytes.fill(0);
  return object;
}

function parseConfigString(text: string): KeyInput[] {
  if (text.trim() === '') invalid('Keyring is empty: expected "<id>:<base64 key>[,...]"');
  return text.split(',').map((entry, index) => {
    const colon = entry.indexOf(':');
    const id = colon === -1 ? '' : entry.slice(0, colon).trim();
    // Never echo the entry: a missing colon would make the key itself look like the id.
    if (!KEY_ID_PATTERN.test(id)) {
      invalid(`Keyring entry ${index + 1}: expected "<id>:<base64 key>" with id ${KEY_ID_RULE}`);
    }
    return { id, key: entry.slice(colon + 1), status: index === 0 ? 'primary' : 'active' };
  });
}

/**
 * Builds a keyring from the config string form `"k2:<base64>,k1:<base64>"`
 * (first entry primary, the rest active) or from an array of
 * `{ id, key, status }` with exactly one primary. Every problem throws
 * `KEYRING_INVALID`; messages name entries by position or id, never key bytes.
 *
 * @example
 * ```ts
 * import { createKeyring } from '@plinth/crypto';
 *
 * const keyring = createKeyring(process.env.ENCRYPTION_KEYS ?? '');
 * keyring.primaryId; // 'k2'
 * ```
 */
export function createKeyring(input: string | readonly KeyInput[]): Keyring {
  if (typeof input !== 'string' && !Array.isArray(input)) {
    // Usually an unset variable (`process.env.ENCRYPTION_KEYS`); the value is never echoed.
    invalid(
      `Keyring must be the config string "<id>:<base64 key>[,...]" or an array of { id, key, status }, got ${input === null ? 'null' : typeof input}`,
    );
  }
  const list = typeof input === 'string' ? parseConfigString(input) : input;
  if (list.length === 0) invalid('Keyring is empty');
  const secrets = new Map<string, { status: KeyStatus; key: KeyObject | undefined }>();
  const infos: KeyInfo[] = [];
  let primaryId: string | undefined;
  // An index loop, not forEach: a hole in a sparse array must fail, not vanish.
  for (let index = 0; index < list.length; index++) {
    // Entries are named by position only: in the config form even ids are part of a secret.
    const entry = `Keyring entry ${index + 1}`;
    const { id, status, key } = list[index] ?? invalid(`${entry} is missing`);
    if (typeof id !== 'string' || !KEY_ID_PATTERN.test(id)) {
      invalid(`${entry}: id must match ${KEY_ID_RULE}`);
    }
    if (!STATUSES.has(status)) invalid(`${entry}: status must be primary, active or retired`);
    if (secrets.has(id)) invalid(`${entry} repeats a key id`);
    if (status === 'primary') {
      if (primaryId !== undefined) invalid('Keyring has more than one primary key');
      primaryId = id;
    }
    const object = status === 'retired' && key === undefined ? undefined : toKeyObject(key, entry);
    secrets.set(id, { status, key: object });
    infos.push(Object.freeze({ id, status }));
  }
  if (primaryId === undefined) invalid('Keyring has no primary key');
  const primary = primaryId;
  const keys = Object.freeze([
    infos.find((k) => k.id === primary)!,
    ...infos.filter((k) => k.id !== primary),
  ]);
  const secret: KeyringSecret = { get: (id) => secrets.get(id) };
  const ring = {
    primaryId: primary,
    keys,
    status: (id: string) => secrets.get(id)?.status,
    toJSON: () => ({ primaryId: primary, keys }),
  };
  Object.defineProperty(ring, KEYRING_SECRET, { value: secret, enumerable: false });
  return Object.freeze(ring);
}

/**
 * The key for `id` when it may decrypt or unwrap; `UNKNOWN_KEY` or
 * `KEY_RETIRED` otherwise. `what` names the stored value, never its content.
 */
export function usableKey(secret: KeyringSecret, id: string, what: string): KeyObject {
  const entry = secret.get(id);
  if (entry === undefined) {
    throw cryptoError(CRYPTO_ERROR_CODES.UNKNOWN_KEY, `${what} names a key not in the keyring`, {
      keyId: id,
    });
  }
  if (entry.status === 'retired' || entry.key === undefined) {
    throw cryptoError(CRYPTO_ERROR_CODES.KEY_RETIRED, `${what} is under a retired key`, {
      keyId: id,
    });
  }
  return entry.key;
}

/** Reads the internal accessor; `subject` names the caller for the options error. */
export function keyringSecret(keyring: Keyring, subject: string): KeyringSecret {
  const secret = (keyring as { [KEYRING_SECRET]?: KeyringSecret } | undefined)?.[KEYRING_SECRET];
  if (secret === undefined) {
    throw invalidOptions(subject, { path: 'keyring', message: 'must come from createKeyring()' });
  }
  return secret;
}
