import { createSecretKey, type KeyObject } from 'node:crypto';
import { isUint8Array } from 'node:util/types';
import { decodeKeyText } from './encoding.js';
import { CRYPTO_ERROR_CODES, cryptoError, readInput } from './errors.js';

/** Lifecycle of a key: `primary` encrypts and decrypts, `active` decrypts, `retired` is refused. */
export type KeyStatus = 'primary' | 'active' | 'retired';

/** One key as given to {@link createKeyring}. `key` may be omitted for a retired key. */
export interface KeyInput {
  /** `[A-Za-z0-9_-]{1,32}`; written into every ciphertext. */
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

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
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
  const entries = text.split(',').map((e) => e.trim());
  return entries.map((entry, index) => {
    const colon = entry.indexOf(':');
    const id = colon === -1 ? '' : entry.slice(0, colon).trim();
    // Never echo the entry: a missing colon would make the key itself look like the id.
    if (colon === -1 || !KEY_ID.test(id)) {
      invalid(
        `Keyring entry ${index + 1}: expected "<id>:<base64 key>" with id [A-Za-z0-9_-]{1,32}`,
      );
    }
    return { id, key: entry.slice(colon + 1), status: index === 0 ? 'primary' : 'active' };
  });
}

/**
 * Plain copies of the entries, each property read once; holes in a sparse
 * array are reported, not skipped.
 */
function readEntries(input: unknown): KeyInput[] {
  if (typeof input === 'string') {
    if (input.trim() === '') invalid('Keyring is empty: expected "<id>:<base64 key>[,...]"');
    return parseConfigString(input);
  }
  if (!Array.isArray(input)) {
    invalid('Keyring input must be a config string or an array of { id, key, status }');
  }
  const entries: KeyInput[] = [];
  for (let index = 0; index < input.length; index++) {
    const item: unknown = input[index];
    if (item === null || typeof item !== 'object')
      invalid(`Keyring entry ${index + 1} is not an object`);
    const { id, status, key } = item as KeyInput;
    entries.push({ id, status, key });
  }
  return entries;
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
  const list = readInput(() => readEntries(input), CRYPTO_ERROR_CODES.KEYRING_INVALID, 'Keyring');
  if (list.length === 0) invalid('Keyring is empty');
  const secrets = new Map<string, { status: KeyStatus; key: KeyObject | undefined }>();
  const infos: KeyInfo[] = [];
  let primaryId: string | undefined;
  list.forEach(({ id, status, key }, index) => {
    if (typeof id !== 'string' || !KEY_ID.test(id)) {
      invalid(`Keyring entry ${index + 1}: id must match [A-Za-z0-9_-]{1,32}`);
    }
    if (!STATUSES.has(status)) invalid(`Key "${id}": status must be primary, active or retired`);
    if (secrets.has(id)) invalid(`Key "${id}" appears more than once`, { keyId: id });
    if (status === 'primary') {
      if (primaryId !== undefined) invalid('Keyring has more than one primary key');
      primaryId = id;
    }
    const object =
      status === 'retired' && key === undefined ? undefined : toKeyObject(key, `Key "${id}"`);
    secrets.set(id, { status, key: object });
    infos.push(Object.freeze({ id, status }));
  });
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

/** Reads the internal accessor; throws for anything that is not a keyring. */
export function keyringSecret(keyring: unknown): KeyringSecret {
  const secret = readInput(
    () =>
      keyring !== null && typeof keyring === 'object'
        ? (keyring as Record<symbol, KeyringSecret | undefined>)[KEYRING_SECRET]
        : undefined,
    CRYPTO_ERROR_CODES.KEYRING_INVALID,
    'Keyring',
  );
  if (secret === undefined) {
    invalid('Expected a keyring created by createKeyring()');
  }
  return secret;
}
