import { hash } from 'node:crypto';

/** Bounds of the verified-token cache. */
export interface TokenCacheOptions {
  /** Default 10000 tokens; 0 turns the cache off. */
  maxEntries?: number;
  /** Approximate memory bound (token length plus a fixed overhead per entry). Default 16 MiB. */
  maxBytes?: number;
  /** An entry lives at most this long even when `exp` is later. Default 300000 (5 min). */
  maxTtlMs?: number;
}

/** What a verified token resolved to, with the times that still bound its use. */
export interface CachedToken<T> {
  readonly value: T;
  /** Epoch ms from `exp` and `nbf`. */
  readonly expiresAt: number;
  readonly notBefore: number;
}

interface Entry<T> extends CachedToken<T> {
  readonly bytes: number;
  readonly evictAt: number;
  /** The cache's clock at the entry's last move to the most recent end. */
  touched: number;
}

const OVERHEAD = 512;

/**
 * The key of a token: SHA-256 of the whole compact token, so no token text is
 * kept (one-shot `hash`: computed on every authenticated request, and about three
 * times cheaper than a `createHash` object).
 */
export const tokenKey = (token: string) => hash('sha256', token, 'base64url');

/**
 * A least-recently-used map of verified tokens bounded by count and bytes.
 * Entries end at the token's `exp` (or `maxTtlMs`, whichever comes first) and
 * are all dropped by `clear()` when a key set changes; a hit is still
 * checked against `exp`/`nbf` with the clock skew by the caller.
 *
 * A hit moves its entry to the most recent end only when it has not moved
 * there in the last quarter of `maxEntries` reads and writes, not on every
 * hit (a `delete` and a `set` on the map each time): an entry used within
 * that window has at most a quarter of the entries after it, so eviction by
 * count, which takes from the other end, never reaches it. (Eviction by
 * bytes, with large tokens, may: that costs one more verification.)
 */
export function createTokenCache<T>(options: TokenCacheOptions = {}) {
  const maxEntries = options.maxEntries ?? 10_000;
  const maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
  const maxTtl = options.maxTtlMs ?? 300_000;
  const map = new Map<string, Entry<T>>();
  const window = maxEntries >> 2;
  let bytes = 0;
  let clock = 0;
  const drop = (key: string, e: Entry<T>) => {
    map.delete(key);
    bytes -= e.bytes;
  };
  return {
    get size() {
      return map.size;
    },
    get bytes() {
      return bytes;
    },
    get(key: string, now: number): CachedToken<T> | undefined {
      const e = map.get(key);
      if (!e) return undefined;
      if (now >= e.evictAt) {
        drop(key, e);
        return undefined;
      }
      clock++;
      if (clock - e.touched <= window) return e;
      e.touched = clock;
      map.delete(key);
      map.set(key, e);
      return e;
    },
    set(key: string, tokenLength: number, entry: CachedToken<T>, now: number) {
      const size = tokenLength + OVERHEAD;
      if (maxEntries === 0 || size > maxBytes) return;
      const old = map.get(key);
      if (old) drop(key, old);
      map.set(key, {
        ...entry,
        bytes: size,
        evictAt: Math.min(entry.expiresAt, now + maxTtl),
        touched: ++clock,
      });
      bytes += size;
      for (const [k, e] of map) {
        if (map.size <= maxEntries && bytes <= maxBytes) break;
        drop(k, e);
      }
    },
    clear() {
      map.clear();
      bytes = 0;
    },
  };
}
