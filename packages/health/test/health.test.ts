import { AppError, UnauthorizedError } from '@plinth/errors';
import { createHealth, HEALTH_CONTENT_TYPE } from '@plinth/health';
import { describe, expect, it } from 'vitest';
import { optionPaths } from './helpers/options-error.js';
import { assertHealthBody } from './helpers/schema.js';

const pass = async () => {};
const boom = async () => {
  throw new Error('connect to postgres://admin:hunter2@db.internal:5432/app failed');
};

describe('createHealth().ready()', () => {
  it('reports pass with HTTP 200, no-store and the health+json media type', async () => {
    const health = createHealth({
      checks: { postgres: { check: pass, componentType: 'datastore' } },
      service: { name: 'clients-api', version: '1.4.2', environment: 'production' },
    });
    const res = await health.ready();
    assertHealthBody(res.body);
    expect(res.httpStatus).toBe(200);
    expect(res.headers).toEqual({
      'content-type': 'application/health+json',
      'cache-control': 'no-store',
    });
    expect(HEALTH_CONTENT_TYPE).toBe('application/health+json');
    expect(res.body).toMatchObject({
      status: 'pass',
      releaseId: '1.4.2',
      serviceId: 'clients-api',
    });
    expect(JSON.stringify(res.body)).not.toContain('production');
    const [component] = res.body.checks?.['postgres:responseTime'] ?? [];
    expect(component).toMatchObject({
      componentType: 'datastore',
      status: 'pass',
      observedUnit: 'ms',
    });
    expect(typeof component?.observedValue).toBe('number');
    expect(Number.isNaN(Date.parse(component?.time ?? ''))).toBe(false);
    expect(component).not.toHaveProperty('output');
  });

  it('answers 503 with fail when a critical check rejects', async () => {
    const res = await createHealth({ checks: { db: boom, cache: pass } }).ready();
    assertHealthBody(res.body);
    expect(res.httpStatus).toBe(503);
    expect(res.body.status).toBe('fail');
    expect(res.body.checks?.['db:responseTime']?.[0]).toMatchObject({
      status: 'fail',
      output: 'check failed',
    });
    expect(res.body.checks?.['cache:responseTime']?.[0]?.status).toBe('pass');
  });

  it('answers 200 with warn when only a non-critical check fails', async () => {
    const res = await createHealth({
      checks: { db: pass, cache: { check: boom, critical: false } },
    }).ready();
    assertHealthBody(res.body);
    expect(res.httpStatus).toBe(200);
    expect(res.body.status).toBe('warn');
    expect(res.body.checks?.['cache:responseTime']?.[0]).toMatchObject({
      status: 'warn',
      output: 'check failed',
    });
  });

  it('never copies an error message that may hold a connection string into output', async () => {
    const res = await createHealth({ checks: { db: boom } }).ready();
    const text = JSON.stringify(res.body);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('db.internal');
    expect(text).not.toContain('postgres://');
  });

  it('treats a check that throws synchronously as fail, not a crash', async () => {
    const sync = (() => {
      throw new TypeError('boom');
    }) as unknown as () => Promise<void>;
    const res = await createHealth({ checks: { sync } }).ready();
    expect(res.httpStatus).toBe(503);
    expect(res.body.checks?.['sync:responseTime']?.[0]?.status).toBe('fail');
  });

  it('fails a never-resolving check at its deadline while the others report normally', async () => {
    let aborted: unknown;
    const hung = (signal: AbortSignal) =>
      new Promise<void>(() => {
        signal.addEventListener('abort', () => {
          aborted = signal.reason;
        });
      });
    const health = createHealth({
      timeoutMs: 1000,
      checks: {
        hung: { check: hung, timeoutMs: 30 },
        db: pass,
        cache: { check: pass, critical: false },
      },
    });
    const res = await health.ready();
    assertHealthBody(res.body);
    expect(res.httpStatus).toBe(503);
    expect(res.body.checks?.['hung:responseTime']?.[0]).toMatchObject({
      status: 'fail',
      output: 'timed out after 30 ms',
    });
    expect(res.body.checks?.['db:responseTime']?.[0]?.status).toBe('pass');
    expect(res.body.checks?.['cache:responseTime']?.[0]?.status).toBe('pass');
    expect(aborted).toBeInstanceOf(Error);
  });

  it('does not leave an unhandled rejection when a timed-out check rejects later', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      let rejectLate!: (err: Error) => void;
      const late = () => new Promise<void>((_, reject) => (rejectLate = reject));
      const res = await createHealth({ timeoutMs: 10, checks: { late } }).ready();
      expect(res.body.status).toBe('fail');
      rejectLate(new Error('late failure'));
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('reports a value the check resolves with as the observed value in its unit', async () => {
    const health = createHealth({
      checks: {
        pool: { check: async () => 7, measurement: 'connections', observedUnit: 'connections' },
        lag: {
          check: async () => ({
            observedValue: 12,
            observedUnit: 's',
            status: 'warn',
            output: 'replica lag high',
          }),
          measurement: 'lag',
        },
      },
    });
    const res = await health.ready();
    assertHealthBody(res.body);
    expect(res.body.checks?.['pool:connections']?.[0]).toMatchObject({
      observedValue: 7,
      observedUnit: 'connections',
      status: 'pass',
    });
    expect(res.body.checks?.['lag:lag']?.[0]).toMatchObject({
      observedValue: 12,
      observedUnit: 's',
      status: 'warn',
      output: 'replica lag high',
    });
    expect(res.body.status).toBe('warn');
    expect(res.httpStatus).toBe(200);
  });

  it('degrades to warn instead of breaking serialisation when a check reports an unserialisable or huge value', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const health = createHealth({
      checks: {
        big: async () => 10n,
        cyclic: async () => ({ observedValue: cyclic }),
        huge: async () => ({ observedValue: { rows: 'x'.repeat(100_000).split('') } }),
        nan: async () => Number.NaN,
        fine: async () => ({ observedValue: { replicas: 3 }, observedUnit: 'replicas' }),
      },
    });
    const res = await health.ready();
    const json = JSON.stringify(res.body);
    expect(json.length).toBeLessThan(5000);
    assertHealthBody(JSON.parse(json));
    for (const name of ['big', 'cyclic', 'huge', 'nan']) {
      const entry = res.body.checks?.[`${name}:responseTime`]?.[0];
      expect(entry).toMatchObject({ status: 'warn', observedUnit: 'ms' });
      expect(typeof entry?.observedValue).toBe('number');
      expect(entry?.output).toMatch(/not JSON/);
    }
    expect(res.body.checks?.['fine:responseTime']?.[0]).toMatchObject({
      status: 'pass',
      observedValue: { replicas: 3 },
      observedUnit: 'replicas',
    });
    expect(res.httpStatus).toBe(200);
  });

  it('fails a check whose result throws when read, and keeps probing afterwards', async () => {
    let calls = 0;
    const health = createHealth({
      checks: {
        hostile: async () => {
          calls++;
          return {
            get status(): string {
              throw new Error('getter exploded');
            },
          };
        },
      },
    });
    const first = await health.ready();
    expect(first.httpStatus).toBe(503);
    expect(first.body.checks?.['hostile:responseTime']?.[0]?.output).toBe(
      'unreadable check result',
    );
    await health.ready();
    expect(calls).toBe(2);
  });

  it('passes through the message of an AppError marked expose, sanitised', async () => {
    const check = async () => {
      throw new AppError('quota left: 0 (see https://user:pw@quota.internal/x)', { expose: true });
    };
    const res = await createHealth({ checks: { quota: check } }).ready();
    const output = res.body.checks?.['quota:responseTime']?.[0]?.output;
    expect(output).toBe('quota left: 0 (see [url]');
  });

  // Issue 13.10: a 4xx message is addressed to whoever called the dependency and can quote their token.
  it('publishes only fixed phrases and scrubbed text from checks, never a 4xx message', async () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJlLXNlY3JldA';
    const res = await createHealth({
      checks: {
        idp: async () => {
          throw new UnauthorizedError(`token ${jwt} rejected`);
        },
        lag: async () => ({ status: 'warn', output: `replica lag high; auth Bearer ${jwt}` }),
        pool: async () => ({ observedValue: { password: 'hunter2', note: `Bearer ${jwt}`, n: 3 } }),
      },
    }).ready();
    const text = JSON.stringify(res.body);
    expect(text).not.toContain('eyJ');
    expect(text).not.toContain('hunter2');
    expect(res.body.checks?.['idp:responseTime']?.[0]?.output).toBe('check failed (UNAUTHORIZED)');
    expect(res.body.checks?.['lag:responseTime']?.[0]?.output).toMatch(/^replica lag high; auth /);
    expect(res.body.checks?.['pool:responseTime']?.[0]?.observedValue).toMatchObject({ n: 3 });
  });

  // Issue 13.2: this output used to block the event loop for ~10 s, outside the check's timeout.
  it('answers promptly when a check reports a huge hostile warn output', async () => {
    const res = await createHealth({
      checks: { lag: async () => ({ status: 'warn', output: 'lag:'.repeat(250_000) }) },
    }).ready();
    expect(res.body.checks?.['lag:responseTime']?.[0]?.output?.length).toBeLessThanOrEqual(200);
  }, 10_000);

  it('reports pass with no checks object when there are no checks', async () => {
    const res = await createHealth().ready();
    assertHealthBody(res.body);
    expect(res).toMatchObject({ httpStatus: 200, body: { status: 'pass' } });
    expect(res.body).not.toHaveProperty('checks');
  });
});

describe('shutdown state', () => {
  it('fails readiness at once without running checks while liveness stays pass', async () => {
    let runs = 0;
    const health = createHealth({
      checks: {
        db: async () => {
          runs++;
        },
      },
    });
    health.beginShutdown();
    const ready = await health.ready();
    const live = await health.live();
    assertHealthBody(ready.body);
    assertHealthBody(live.body);
    expect(health.shuttingDown).toBe(true);
    expect(ready).toMatchObject({
      httpStatus: 503,
      body: { status: 'fail', output: 'shutting down' },
    });
    expect(live).toMatchObject({ httpStatus: 200, body: { status: 'pass' } });
    expect(runs).toBe(0);
  });
});

describe('createHealth().live()', () => {
  it('runs only liveness checks', async () => {
    const health = createHealth({ checks: { db: boom }, liveChecks: { loop: pass } });
    const live = await health.live();
    assertHealthBody(live.body);
    expect(live.httpStatus).toBe(200);
    expect(Object.keys(live.body.checks ?? {})).toEqual(['loop:responseTime']);
  });
});

describe('createHealth options', () => {
  it('rejects every invalid option at once as one 500 INVALID_OPTIONS error', () => {
    const paths = optionPaths(() =>
      createHealth({
        timeoutMs: -1,
        cacheMs: Number.NaN,
        checks: {
          'bad:name': pass,
          ok: { check: 'nope' } as never,
          slow: { check: pass, timeoutMs: 0 },
        },
      }),
    );
    expect(paths).toEqual([
      'timeoutMs',
      'cacheMs',
      'checks.bad:name',
      'checks.ok',
      'checks.slow.timeoutMs',
    ]);
  });

  it('rejects the old { serviceId, releaseId } identity instead of publishing nothing', () => {
    const old = { serviceId: 'clients-api', releaseId: '1.4.2' } as never;
    expect(optionPaths(() => createHealth({ service: old }))).toEqual(['service.name']);
  });

  it('rejects checks given as something other than an object of named checks', () => {
    expect(optionPaths(() => createHealth({ checks: pass as never }))).toEqual(['checks']);
    expect(optionPaths(() => createHealth({ liveChecks: 'db' as never }))).toEqual(['liveChecks']);
  });
});
