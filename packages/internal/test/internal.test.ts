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
