import {
  backoffMs,
  deepFreeze,
  delay,
  isLoggerLike,
  isNetworkError,
  MAX_TIMER_MS,
  NETWORK_ERROR_PHRASES,
  safeLogger,
  setOwn,
  settlesWithin,
  stderrLogger,
  withDeadline,
} from '@plinth/internal';
import { describe, expect, it, vi } from 'vitest';

describe('logger helpers', () => {
  it('recognises pino-shaped loggers and rejects others', () => {
    const log = { error() {}, warn() {}, info() {} };
    expect(isLoggerLike(log)).toBe(true);
    expect(isLoggerLike({ error() {}, warn() {} })).toBe(false);
    expect(isLoggerLike(null)).toBe(false);
  });

  it('swallows a throwing logger call and forwards the rest', () => {
    const info = vi.fn();
    const safe = safeLogger({
      error() {
        throw new Error('closed');
      },
      warn() {},
      info,
    });
    expect(() => safe.error({}, 'x')).not.toThrow();
    expect(() => safe.debug({}, 'no debug method')).not.toThrow();
    safe.info({ a: 1 }, 'm');
    expect(info).toHaveBeenCalledWith({ a: 1 }, 'm');
  });

  it('writes one JSON line to stderr without the err field', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      stderrLogger().warn({ err: new Error('secret'), hook: 'db' }, 'hook failed');
      const line = JSON.parse(String(write.mock.calls[0]?.[0]));
      expect(line).toMatchObject({ level: 'warn', msg: 'hook failed', hook: 'db' });
      expect(line.err).toBeUndefined();
    } finally {
      write.mockRestore();
    }
  });
});

describe('timers', () => {
  it('reports whether a promise settles in time, never rejecting', async () => {
    expect(await settlesWithin(Promise.reject(new Error('x')), 1000)).toBe(true);
    expect(await settlesWithin(new Promise(() => {}), 5)).toBe(false);
  });

  it('clamps delays to the timer range', async () => {
    await expect(delay(-5, { unref: true })).resolves.toBeUndefined();
    expect(MAX_TIMER_MS).toBe(2 ** 31 - 1);
  });

  it('draws full-jitter backoff within [0, min(cap, base·2^n)]', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const ms = backoffMs(attempt, 50, 1000);
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThanOrEqual(Math.min(1000, 50 * 2 ** attempt));
    }
  });
});

describe('withDeadline', () => {
  class Late extends Error {}
  const late = () => new Late('late');

  it('settles as the task does and clears its timer', async () => {
    vi.useFakeTimers();
    try {
      await expect(withDeadline(async () => 7, 1000, late)).resolves.toBe(7);
      await expect(withDeadline(() => 'sync', 1000, late)).resolves.toBe('sync');
      const boom = new TypeError('boom');
      await expect(withDeadline(() => Promise.reject(boom), 1000, late)).rejects.toBe(boom);
      const thrown = withDeadline(
        () => {
          throw boom;
        },
        1000,
        late,
      );
      await expect(thrown).rejects.toBe(boom);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('at the deadline rejects with the timeout error and aborts the signal with it', async () => {
    let signal!: AbortSignal;
    let settleLate!: (err: Error) => void;
    const timeoutError = vi.fn(late);
    const run = withDeadline(
      (s) => {
        signal = s;
        return new Promise((_, reject) => (settleLate = reject));
      },
      10,
      timeoutError,
    );
    expect(signal.aborted).toBe(false);
    const error = await run.catch((err: unknown) => err);
    expect(error).toBeInstanceOf(Late);
    expect(signal.reason).toBe(error);
    expect(timeoutError).toHaveBeenCalledTimes(1);
    // Settling after the deadline changes nothing and is not an unhandled rejection.
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      settleLate(new Error('after the deadline'));
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('keeps the process alive while it waits and caps the delay at MAX_TIMER_MS', async () => {
    const setTimer = vi.spyOn(globalThis, 'setTimeout');
    try {
      let finish!: () => void;
      const run = withDeadline(() => new Promise<void>((r) => (finish = r)), 2 ** 40, late);
      const timer = setTimer.mock.results[0]?.value as NodeJS.Timeout;
      expect(setTimer.mock.calls[0]?.[1]).toBe(MAX_TIMER_MS);
      expect(timer.hasRef()).toBe(true);
      finish();
      await expect(run).resolves.toBeUndefined();
    } finally {
      setTimer.mockRestore();
    }
  });
});

describe('network errors', () => {
  it('recognises socket codes directly and inside an AggregateError', () => {
    expect(isNetworkError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
    const agg = new AggregateError([Object.assign(new Error('y'), { code: 'ETIMEDOUT' })]);
    expect(isNetworkError(agg)).toBe(true);
    expect(isNetworkError(Object.assign(new Error('z'), { code: '23505' }))).toBe(false);
    expect(isNetworkError(null)).toBe(false);
    expect(NETWORK_ERROR_PHRASES.ECONNREFUSED).toBe('connection refused');
  });
});

describe('deepFreeze', () => {
  it('freezes nested objects, survives cycles and leaves typed arrays alone', () => {
    const o: { a: { b: number[] }; self?: unknown; bytes: Uint8Array } = {
      a: { b: [1] },
      bytes: new Uint8Array(2),
    };
    o.self = o;
    deepFreeze(o);
    expect(Object.isFrozen(o.a.b)).toBe(true);
    expect(Object.isFrozen(o.bytes)).toBe(false);
  });
});

describe('setOwn', () => {
  it('keeps a __proto__ key as an own data property instead of changing the prototype', () => {
    const out: Record<string, unknown> = {};
    setOwn(out, '__proto__', { polluted: true });
    setOwn(out, 'a', 1);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(out)).toBe('{"__proto__":{"polluted":true},"a":1}');
  });
});
