import { createHmac } from 'node:crypto';
import { ipv6Network } from '../rate-limit/client-key.js';

/**
 * The account as the throttle counts it: NFKC, trimmed, lower-cased. Coarser
 * than most identity lookups on purpose: `Alice@X.com` and `alice@x.com` must
 * share one counter, or changing the case would reset it.
 */
export const normalizeAccount = (account: string): string =>
  account.normalize('NFKC').trim().toLowerCase();

/**
 * The client address as the throttle counts it: IPv4 as is, IPv6 by its
 * `/prefix` network and IPv4-mapped IPv6 as its IPv4 (the rate limiter's
 * rule, so one host cannot rotate past either), anything else as given.
 */
export function normalizeIp(ip: string, prefix: number): string {
  const bare = ip.trim().toLowerCase();
  return bare.includes(':') ? ipv6Network(bare, prefix) : bare;
}

/** The keyed hashes the throttle stores and audits instead of the account and the address. */
export interface ThrottleKeys {
  /** HMAC of tenant + account: the audit `resource.id`. */
  readonly account: string;
  /** HMAC of the normalised address. */
  readonly ip: string;
  /** The account + address pair (consecutive failures, lockouts). */
  readonly pair: string;
}

/**
 * HMAC-SHA256 under the throttle's key, 128 bits in base64url. Keyed because
 * e-mail addresses and IPv4 addresses are few enough to reverse a plain
 * SHA-256 by enumeration; the parts are JSON-encoded so no two inputs collide.
 */
export function keyHasher(key: Uint8Array) {
  const mac = (...parts: string[]) =>
    createHmac('sha256', key).update(JSON.stringify(parts)).digest('base64url').slice(0, 22);
  const accountHash = (tenantId: string | undefined, account: string) =>
    mac('account', tenantId ?? '', normalizeAccount(account));
  return {
    account: accountHash,
    keys(tenantId: string | undefined, account: string, ip: string, prefix: number): ThrottleKeys {
      const a = accountHash(tenantId, account);
      const i = mac('ip', normalizeIp(ip, prefix));
      return { account: a, ip: i, pair: `${a}.${i}` };
    },
  };
}
