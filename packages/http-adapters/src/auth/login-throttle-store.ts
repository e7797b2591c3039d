import { type LoggerLike, withDeadline } from '@plinth/internal';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  type RateLimiterRes,
} from 'rate-limiter-flexible';
import type { RateLimitRedisLike } from '../rate-limit/options.js';
import { IP_DAY_SECONDS, type ResolvedLoginThrottleOptions } from './login-throttle-options.js';

/** A counter's value and the milliseconds until it expires. */
export interface CounterState {
  readonly consumed: number;
  readonly msLeft: number;
}

/** One rate-limiter-flexible limiter used as a counter (get, penalty, block, delete). */
export interface Counter {
  get(key: string): Promise<CounterState | null>;
  penalty(key: string): Promise<CounterState>;
  /** Set the counter past its limit for `seconds` (`points + 1`, a fresh expiry). */
  block(key: string, seconds: number): Promise<void>;
  delete(key: string): Promise<void>;
}

/** The three counters of the throttle and the state of the shared store. */
export interface ThrottleStore {
  /** Consecutive failures per account + address. */
  readonly failures: Counter;
  /** Lockouts per account + address in the window (drives the doubling). */
  readonly lockouts: Counter;
  /** Failures per address per day. */
  readonly ipFailures: Counter;
  /** True while the last Redis call failed and the per-instance fallback answers. */
  degraded(): boolean;
  /** Try Redis once (for a health check while degraded). */
  probe(): Promise<void>;
}

/** While degraded, repeated outages are announced at most this often. */
const ANNOUNCE_EVERY_MS = 60_000;

// ioredis states in which a command would only queue or fail: skip the wait.
const UNREACHABLE = new Set(['reconnecting', 'close', 'end']);

const stateOf = (res: RateLimiterRes): CounterState => ({
  consumed: res.consumedPoints,
  msLeft: Math.max(0, res.msBeforeNext),
});

class StoreTimeoutError extends Error {
  override readonly name = 'StoreTimeoutError';
}

type Runner = <T>(op: (limiter: RateLimiterAbstract) => Promise<T>, pair: Limiters) => Promise<T>;

interface Limiters {
  readonly shared: RateLimiterAbstract | undefined;
  readonly local: RateLimiterAbstract;
}

/**
 * Runs each operation on Redis within the timeout, and on the per-instance
 * memory limiter when Redis fails, hangs or is known to be disconnected: a
 * store outage loosens the throttle to per-instance counting, it never turns
 * a login into a 500. The switch is logged once each way.
 */
function createRunner(
  redis: RateLimitRedisLike | undefined,
  timeoutMs: number,
  logger: Required<LoggerLike>,
  now: () => number = Date.now,
): { run: Runner; degraded: () => boolean } {
  let down = false;
  let announced = false;
  let lastAnnounced = Number.NEGATIVE_INFINITY;
  const fail = (err: unknown) => {
    if (down) return;
    down = true;
    // A flapping Redis would otherwise log on every login.
    if (now() - lastAnnounced < ANNOUNCE_EVERY_MS) return;
    announced = true;
    lastAnnounced = now();
    const e = err as { code?: unknown; name?: unknown } | undefined;
    const errorCode = typeof e?.code === 'string' ? e.code : String(e?.name ?? 'unknown');
    logger.warn(
      { event: 'login_throttle.store.fallback', store: 'redis', errorCode },
      'Login throttle counts per instance: Redis is unavailable or slow',
    );
  };
  const recover = () => {
    down = false;
    if (!announced) return;
    announced = false;
    logger.info(
      { event: 'login_throttle.store.recovered', store: 'redis' },
      'Login throttle counts in Redis again',
    );
  };
  const run: Runner = async (op, { shared, local }) => {
    if (shared && redis && !UNREACHABLE.has(String(redis.status))) {
      try {
        const value = await withDeadline(
          () => op(shared),
          timeoutMs,
          () => new StoreTimeoutError(),
        );
        if (down) recover();
        return value;
      } catch (err) {
        fail(err);
      }
    } else if (shared) {
      fail({ name: 'NotConnected' });
    }
    return op(local);
  };
  return { run, degraded: () => down };
}

function counter(run: Runner, limiters: Limiters): Counter {
  return {
    get: async (key) => {
      const res = await run((l) => l.get(key), limiters);
      return res ? stateOf(res) : null;
    },
    penalty: (key) => run(async (l) => stateOf(await l.penalty(key)), limiters),
    block: (key, seconds) => run(async (l) => void (await l.block(key, seconds)), limiters),
    delete: (key) => run(async (l) => void (await l.delete(key)), limiters),
  };
}

/** Build the counters on memory, or on Redis with a memory fallback. */
export function createThrottleStore(
  o: ResolvedLoginThrottleOptions,
  logger: Required<LoggerLike>,
): ThrottleStore {
  const { run, degraded } = createRunner(o.redis, o.redisTimeoutMs, logger);
  const limiters = (name: string, points: number, duration: number): Limiters => {
    const opts = { keyPrefix: `${o.keyPrefix}:${name}`, points, duration };
    return {
      local: new RateLimiterMemory(opts),
      shared: o.redis ? new RateLimiterRedis({ ...opts, storeClient: o.redis }) : undefined,
    };
  };
  const failures = limiters('fail', o.maxConsecutiveFailures, o.failureWindowSeconds);
  const lockouts = limiters('lockouts', 1_000_000, o.failureWindowSeconds);
  const ip = limiters('ip', o.maxFailuresPerIpPerDay, IP_DAY_SECONDS);
  return {
    failures: counter(run, failures),
    lockouts: counter(run, lockouts),
    ipFailures: counter(run, ip),
    degraded,
    probe: () => run((l) => l.get('probe'), failures).then(() => undefined),
  };
}
