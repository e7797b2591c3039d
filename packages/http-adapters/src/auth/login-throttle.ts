import { getContext } from '@plinth/context';
import { invalidOptions, type OptionIssueInput } from '@plinth/errors';
import type { CheckDefinition } from '@plinth/health';
import { safeLogger, stderrLogger } from '@plinth/internal';
import { type LoginLockScope, recordLoginEvent } from './login-throttle-audit.js';
import { loginFailed, loginIdentityInvalid, loginLocked } from './login-throttle-errors.js';
import { keyHasher, normalizeAccount } from './login-throttle-keys.js';
import {
  IP_DAY_SECONDS,
  type LoginThrottleOptions,
  resolveLoginThrottleOptions,
} from './login-throttle-options.js';
import { type CounterState, createThrottleStore } from './login-throttle-store.js';

/** Who is trying to log in, as the client submitted it. Whether the account exists plays no part. */
export interface LoginIdentity {
  /** The identifier the client typed (an e-mail, a user name), unmodified; 1-1024 characters. */
  account: string;
  /** The tenant the client names, when accounts are per tenant; part of the counted account. */
  tenantId?: string;
  /** The client address. Default: the request context's `ip` (set by the adapter, trust-proxy aware). */
  ip?: string;
}

/** Checks the credentials: resolve with the signed-in value, or `false`/`null`/`undefined` for wrong ones. */
export type LoginVerifier<T> = () =>
  | Promise<T | false | null | undefined>
  | T
  | false
  | null
  | undefined;

/** A failed-login throttle (see {@link createLoginThrottle}). */
export interface LoginThrottle {
  /**
   * Run one login attempt: 429 `AUTH_LOGIN_LOCKED` (with `Retry-After`)
   * without calling `verify` while the account + address or the address is
   * locked out; otherwise `verify()`, then either reset the account +
   * address counter and return its value, or count the failure and throw
   * 401 `AUTH_LOGIN_FAILED`. Anything `verify` throws passes through
   * uncounted (a database outage is not a wrong password).
   */
  attempt<T>(
    identity: LoginIdentity,
    verify: LoginVerifier<T>,
  ): Promise<NonNullable<Exclude<T, false>>>;
  /** The keyed hash audit events carry as `resource.id`, to look an account's events up. */
  accountHash(identity: Pick<LoginIdentity, 'account' | 'tenantId'>): string;
  /**
   * A non-critical `@plinth/health` check: `warn` while Redis is unreachable
   * and each instance counts on its own (Redis is probed first); always
   * `pass` on the memory store.
   */
  healthCheck(): CheckDefinition;
}

const isText = (v: unknown, max: number): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= max;

function accountOf(identity: Partial<LoginIdentity>): { account: string; tenantId?: string } {
  if (typeof identity !== 'object' || identity === null)
    throw invalidOptions('loginThrottle', [{ path: 'identity', message: 'must be an object' }]);
  const { account, tenantId } = identity;
  if (!isText(account, 1024) || normalizeAccount(account) === '')
    throw loginIdentityInvalid('account', 'must be 1-1024 characters');
  if (tenantId !== undefined && !isText(tenantId, 256))
    throw loginIdentityInvalid('tenantId', 'must be 1-256 characters');
  return tenantId === undefined ? { account } : { account, tenantId };
}

/** The identity and call checked: bad client data is a 400, a wiring mistake `INVALID_OPTIONS`. */
function checkAttempt(
  identity: LoginIdentity,
  verify: unknown,
): { account: string; tenantId?: string; ip: string } {
  const checked = accountOf(identity);
  const ip = identity.ip ?? getContext()?.ip;
  const issues: OptionIssueInput[] = [];
  if (!isText(ip, 512))
    issues.push({ path: 'identity.ip', message: 'is missing: pass it or call inside a request' });
  if (typeof verify !== 'function') issues.push({ path: 'verify', message: 'must be a function' });
  if (issues.length > 0) throw invalidOptions('loginThrottle.attempt', issues);
  return { ...checked, ip: ip as string };
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * A failed-login throttle on rate-limiter-flexible's consecutive-failures
 * pattern (ADR 0106). Per account + address: after `maxConsecutiveFailures`
 * failures a lockout of `lockoutSeconds`, doubling with each further lockout
 * in the window up to `maxLockoutSeconds`; a success resets it. Per address:
 * `maxFailuresPerIpPerDay` failures close it for a day. Counters are keyed by
 * HMACs of the submitted account and the address, so an unknown account is
 * counted, locked and answered exactly like a known one; `verify` must do the
 * same work for both (verify a dummy hash when the account is unknown).
 * Memory store by default; `redis` shares the counters across instances and
 * falls back to per-instance counting when Redis is unreachable or slow.
 * Throws `INVALID_OPTIONS` listing every bad option.
 *
 * @example
 * ```ts
 * import { createLoginThrottle } from '@plinth/http-adapters';
 *
 * const throttle = createLoginThrottle({ hashKey: config.LOGIN_THROTTLE_KEY });
 * const user = await throttle.attempt({ tenantId, account: email }, async () => {
 *   const found = await users.findByEmail(tenantId, email);
 *   const ok = await verifyPassword(password, found?.passwordHash ?? DUMMY_HASH);
 *   return ok && found;
 * });
 * ```
 */
export function createLoginThrottle(options: LoginThrottleOptions = {}): LoginThrottle {
  const o = resolveLoginThrottleOptions(options);
  const logger = safeLogger(o.logger ?? stderrLogger());
  const store = createThrottleStore(o, logger);
  const hasher = keyHasher(o.hashKey);
  const max = o.maxConsecutiveFailures;
  const ipMax = o.maxFailuresPerIpPerDay;

  const lockOf = (pair: CounterState | null, addr: CounterState | null) => {
    const pairMs = pair && pair.consumed >= max ? pair.msLeft : -1;
    const addrMs = addr && addr.consumed >= ipMax ? addr.msLeft : -1;
    if (pairMs < 0 && addrMs < 0) return undefined;
    const scope: LoginLockScope = addrMs > pairMs ? 'ip' : 'account_ip';
    return loginLocked(seconds(Math.max(pairMs, addrMs)), scope);
  };

  const countFailure = async (keys: ReturnType<typeof hasher.keys>, ip: string) => {
    const [pair, addr] = await Promise.all([
      store.failures.penalty(keys.pair),
      store.ipFailures.penalty(keys.ip),
    ]);
    const base = { accountHash: keys.account, ip };
    const failures = pair.consumed;
    recordLoginEvent(o.audit, logger, base, 'auth.login.failed', { failures });
    // Exactly one concurrent failure sees the threshold (the increments are atomic).
    if (failures === max) {
      const lockout = (await store.lockouts.penalty(keys.pair)).consumed;
      const lockoutSeconds = Math.min(
        o.lockoutSeconds * 2 ** Math.min(lockout - 1, 40),
        o.maxLockoutSeconds,
      );
      await store.failures.block(keys.pair, lockoutSeconds);
      recordLoginEvent(o.audit, logger, base, 'auth.login.locked', {
        failures,
        scope: 'account_ip',
        lockoutSeconds,
        lockout,
      });
    }
    if (addr.consumed === ipMax) {
      await store.ipFailures.block(keys.ip, IP_DAY_SECONDS);
      recordLoginEvent(o.audit, logger, base, 'auth.login.locked', {
        failures,
        scope: 'ip',
        lockoutSeconds: IP_DAY_SECONDS,
      });
    }
  };

  return {
    async attempt(identity, verify) {
      const { account, tenantId, ip } = checkAttempt(identity, verify);
      const keys = hasher.keys(tenantId, account, ip, o.ipv6Prefix);
      const locked = lockOf(
        ...(await Promise.all([store.failures.get(keys.pair), store.ipFailures.get(keys.ip)])),
      );
      if (locked) throw locked;
      const result = await verify();
      if (result === false || result === null || result === undefined) {
        await countFailure(keys, ip);
        throw loginFailed(o.audit !== undefined);
      }
      await Promise.all([store.failures.delete(keys.pair), store.lockouts.delete(keys.pair)]);
      return result as NonNullable<Exclude<typeof result, false>>;
    },
    accountHash(identity) {
      const { account, tenantId } = accountOf(identity);
      return hasher.account(tenantId, account);
    },
    healthCheck: () => ({
      critical: false,
      componentType: 'datastore',
      check: async () => {
        if (store.degraded()) await store.probe();
        return store.degraded()
          ? { status: 'warn', output: 'Redis unavailable: login throttling is per instance' }
          : undefined;
      },
    }),
  };
}
