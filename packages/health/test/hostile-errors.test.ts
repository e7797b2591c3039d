// Issue 13.1: a badly shaped error must neither wedge readiness nor abort shutdown.
import { createHealth, createShutdown } from '@plinth/health';
import { describe, expect, it, vi } from 'vitest';
import { describeFailure } from '../src/output.js';
import { captureLogger } from './helpers/capture-logger.js';

function causeLoop(): Error {
  const a = new Error('a');
  const b = new Error('b', { cause: a });
  (a as { cause?: unknown }).cause = b;
  return a;
}

function selfListingAggregate(): AggregateError {
  const agg = new AggregateError([], 'all failed');
  (agg as { errors: unknown[] }).errors = [agg];
  return agg;
}

function deepChain(depth: number): Error {
  let err = new Error('bottom');
  for (let i = 0; i < depth; i++) err = new Error(`level ${i}`, { cause: err });
  return err;
}

function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable(new Error('x'), {});
  revoke();
  return proxy;
}

function throwingGetters(): object {
  const boom = () => {
    throw new Error('getter exploded');
  };
  return Object.defineProperties(Object.create(Error.prototype), {
    code: { get: boom },
    errors: { get: boom },
    name: { get: boom },
    cause: { get: boom },
  });
}

const SHAPES: [string, () => unknown][] = [
  ['a cause chain that loops', causeLoop],
  ['an AggregateError that lists itself', selfListingAggregate],
  ['a cause chain 20,000 deep', () => deepChain(20_000)],
  ['a revoked Proxy', revokedProxy],
  ['an object whose getters throw', throwingGetters],
];

describe('describeFailure with badly shaped errors', () => {
  it.each(SHAPES)('describes %s as "check failed" without throwing', (_, make) => {
    expect(describeFailure(make())).toBe('check failed');
  });

  it('still finds a network code a few causes down', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), {
      code: 'ECONNREFUSED',
    });
    const wrapped = new Error('a', { cause: new Error('b', { cause: refused }) });
    expect(describeFailure(wrapped)).toBe('connection refused');
  });

  it('does not mistake an inherited property name for a known error code', () => {
    expect(describeFailure({ code: 'constructor' })).toBe('check failed');
  });
});

describe('readiness after a check rejected with a badly shaped error', () => {
  it.each(SHAPES)('fails with %s, then passes once the dependency recovers', async (_, make) => {
    let down = true;
    const health = createHealth({
      checks: {
        db: async () => {
          if (down) throw make();
        },
      },
    });
    const failed = await health.ready();
    expect(failed.httpStatus).toBe(503);
    expect(failed.body.checks?.['db:responseTime']?.[0]?.output).toBe('check failed');
    down = false;
    const recovered = await health.ready();
    expect(recovered.httpStatus).toBe(200);
  });

  it('recovers with caching on: the next refresh replaces the failed result', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      let down = true;
      const health = createHealth({
        cacheMs: 1000,
        checks: {
          db: async () => {
            if (down) throw causeLoop();
          },
        },
      });
      expect((await health.ready()).httpStatus).toBe(503);
      down = false;
      vi.setSystemTime(Date.now() + 1000);
      await health.ready(); // stale: served while the refresh runs
      await new Promise((resolve) => setImmediate(resolve));
      expect((await health.ready()).httpStatus).toBe(200);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('shutdown hooks that throw badly shaped errors', () => {
  it.each(SHAPES)('logs %s, runs every later hook and exits 1', async (_, make) => {
    const { logger, entries } = captureLogger();
    const ran: string[] = [];
    const exit = vi.fn();
    const shutdown = createShutdown({
      drainDelayMs: 0,
      signals: [],
      logger,
      exit,
      hooks: [
        {
          name: 'audit-flush',
          run: () => {
            throw make();
          },
        },
        { name: 'db-close', run: () => void ran.push('db-close') },
        { name: 'logger-flush', run: () => void ran.push('logger-flush') },
      ],
    });
    const result = await shutdown.shutdown();
    expect(ran).toEqual(['db-close', 'logger-flush']);
    expect(result).toMatchObject({ ok: false, failedHooks: ['audit-flush'] });
    expect(exit).toHaveBeenCalledExactlyOnceWith(1);
    const failed = entries.find((e) => e.msg === 'shutdown hook failed');
    expect(failed?.obj).toMatchObject({ hook: 'audit-flush', reason: 'check failed' });
  });
});
