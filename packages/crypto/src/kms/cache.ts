import { invalidOptions, isOptionsObject, type OptionIssueInput } from '@plinth/errors';

/**
 * Data-key cache limits, with the semantics of the AWS Encryption SDK's
 * caching CMM: an entry is used only while younger than `maxAge` and while the
 * messages and plaintext bytes encrypted under it (including the current one)
 * stay within `maxMessages` and `maxBytes`; otherwise it is evicted and a new
 * data key is generated. Messages of unknown size (streams without
 * `plaintextLength`) and messages larger than `maxBytes` bypass the cache.
 */
export interface DataKeyCacheOptions {
  /** Required. Milliseconds an entry may be used, for encrypt and decrypt. */
  maxAge: number;
  /** Messages per cached data key. Default and maximum 2^32. */
  maxMessages?: number;
  /** Plaintext bytes per cached data key. Default `Number.MAX_SAFE_INTEGER`. */
  maxBytes?: number;
  /** Entries kept (least recently used evicted first). Default 1000. */
  capacity?: number;
  /** Clock in ms, for tests. Default `Date.now`. */
  now?: () => number;
}

/** Wrapped form kept next to a cached encryption key. */
export interface WrappedKey {
  encryptedKey: Uint8Array;
  keyId: string;
}

interface Entry {
  key: Buffer;
  wrapped: WrappedKey | undefined;
  created: number;
  messages: number;
  bytes: number;
}

export interface DataKeyCache {
  /** Reserves one message of `length` bytes on a live entry and returns a copy of its key. */
  useForEncrypt(id: string, length: number): { key: Buffer; wrapped: WrappedKey } | undefined;
  putForEncrypt(id: string, key: Uint8Array, wrapped: WrappedKey, length: number): void;
  /** True when a message of this size may be cached at all. */
  cacheable(length: number | undefined): length is number;
  getForDecrypt(id: string): Buffer | undefined;
  putForDecrypt(id: string, key: Uint8Array): void;
  clear(): void;
  readonly size: number;
}

const MAX_MESSAGES = 2 ** 32;

export function createDataKeyCache(options: DataKeyCacheOptions): DataKeyCache {
  // The envelope cipher's `cache` option: a nested field, so the issue names `cache`.
  if (!isOptionsObject(options))
    throw invalidOptions('createEnvelopeCipher', {
      path: 'cache',
      message: 'must be an object with a maxAge',
    });
  const {
    maxAge,
    maxMessages = MAX_MESSAGES,
    maxBytes = Number.MAX_SAFE_INTEGER,
    capacity = 1000,
    now = Date.now,
  } = options;
  const issues: OptionIssueInput[] = [];
  const check = (ok: boolean, path: string, message: string) => {
    if (!ok) issues.push({ path: `cache.${path}`, message });
  };
  check(typeof maxAge === 'number' && maxAge > 0, 'maxAge', 'must be a positive number of ms');
  check(
    Number.isInteger(maxMessages) && maxMessages >= 1 && maxMessages <= MAX_MESSAGES,
    'maxMessages',
    'must be an integer from 1 to 2^32',
  );
  check(Number.isSafeInteger(maxBytes) && maxBytes >= 0, 'maxBytes', 'must be a safe integer ≥ 0');
  check(Number.isInteger(capacity) && capacity >= 1, 'capacity', 'must be a positive integer');
  if (issues.length > 0) throw invalidOptions('createEnvelopeCipher', issues);
  const entries = new Map<string, Entry>();

  function evict(id: string) {
    const entry = entries.get(id);
    if (entry === undefined) return;
    entry.key.fill(0);
    entries.delete(id);
  }

  function live(id: string): Entry | undefined {
    const entry = entries.get(id);
    if (entry === undefined) return undefined;
    if (now() - entry.created >= maxAge) {
      evict(id);
      return undefined;
    }
    entries.delete(id); // re-insert: Map order is the LRU order
    entries.set(id, entry);
    return entry;
  }

  function put(
    id: string,
    key: Uint8Array,
    wrapped: WrappedKey | undefined,
    messages: number,
    bytes: number,
  ) {
    evict(id);
    entries.set(id, { key: Buffer.from(key), wrapped, created: now(), messages, bytes });
    while (entries.size > capacity) evict(entries.keys().next().value as string);
  }

  return {
    cacheable: (length): length is number => length !== undefined && length <= maxBytes,
    useForEncrypt(id, length) {
      const entry = live(id);
      if (entry === undefined) return undefined;
      entry.messages += 1;
      entry.bytes += length;
      if (entry.messages > maxMessages || entry.bytes > maxBytes) {
        evict(id);
        return undefined;
      }
      return { key: Buffer.from(entry.key), wrapped: entry.wrapped! };
    },
    putForEncrypt: (id, key, wrapped, length) => put(id, key, wrapped, 1, length),
    getForDecrypt(id) {
      const entry = live(id);
      return entry === undefined ? undefined : Buffer.from(entry.key);
    },
    putForDecrypt: (id, key) => put(id, key, undefined, 0, 0),
    clear() {
      for (const id of [...entries.keys()]) evict(id);
    },
    get size() {
      return entries.size;
    },
  };
}
