import { createHealth } from '@plinth/health';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deferred } from './helpers/deferred.js';

/** A check whose every run is a deferred the test settles by hand. */
function controlledCheck() {
  const runs: ReturnType<typeof deferred<void>>[] = [];
  const check = () => {
    const d = deferred<void>();
    runs.push(d);
    return d.promise;
  };
  return { runs, check };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('result cache', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits for the first run when nothing is cached yet', async () => {
    const { runs, check } = controlledCheck();
    const health = createHealth({ cacheMs: 1000, checks: { db: check } });
    let settled = false;
    const pending = health.ready().then((r) => {
      settled = true;
      return r;
    });
    await flush();
    expect(settled).toBe(false);
    runs[0]!.resolve();
    expect((await pending).body.status).toBe('pass');
  });

  it('serves the cached result within the TTL without running the check again', async () => {
    const { runs, check } = controlledCheck();
    const health = createHealth({ cacheMs: 1000, checks: { db: check } });
    const first = health.ready();
    runs[0]!.resolve();
    const a = await first;
    vi.setSystemTime(Date.now() + 999);
    const b = await health.ready();
    expect(runs).toHaveLength(1);
    expect(b).toBe(a);
  });

  it('serves the stale result at once after the TTL and refreshes once in the background', async () => {
    const { runs, check } = controlledCheck();
    const health = createHealth({ cacheMs: 1000, checks: { db: check } });
    const first = health.ready();
    runs[0]!.resolve();
    await first;

    vi.setSystemTime(Date.now() + 1000);
    const stale1 = await health.ready();
    const stale2 = await health.ready();
    expect(stale1.body.status).toBe('pass');
    expect(stale2).toBe(stale1);
    expect(runs).toHaveLength(2); // one background refresh, shared by both probes

    runs[1]!.reject(new Error('down'));
    await flush();
    const fresh = await health.ready();
    expect(fresh.httpStatus).toBe(503);
    expect(fresh.body.checks?.['db:responseTime']?.[0]?.output).toBe('check failed');
    expect(runs).toHaveLength(2);
  });

  it('keeps each check on its own clock so one slow check does not hold back the others', async () => {
    const slow = controlledCheck();
    let fastRuns = 0;
    const health = createHealth({
      cacheMs: 1000,
      checks: {
        slow: slow.check,
        fast: async () => {
          fastRuns++;
        },
      },
    });
    const first = health.ready();
    slow.runs[0]!.resolve();
    await first;
    vi.setSystemTime(Date.now() + 1500);
    await health.ready(); // both stale → both refresh; slow stays pending
    await flush();
    expect(fastRuns).toBe(2);
    expect(slow.runs).toHaveLength(2);
    await health.ready(); // fast is fresh again, slow refresh still in flight: no new runs
    expect(fastRuns).toBe(2);
    expect(slow.runs).toHaveLength(2);
  });

  it('shares one run between concurrent probes when caching is off', async () => {
    const { runs, check } = controlledCheck();
    const health = createHealth({ checks: { db: check } });
    const probes = Array.from({ length: 10 }, () => health.ready());
    await flush();
    expect(runs).toHaveLength(1);
    runs[0]!.resolve();
    const results = await Promise.all(probes);
    expect(new Set(results.map((r) => r.body.status))).toEqual(new Set(['pass']));
    const next = health.ready();
    await flush();
    expect(runs).toHaveLength(2);
    runs[1]!.resolve();
    await next;
  });
});
