import { createRequestContext, runWithContext } from '@plinth/context';
import { type AppError, isAppError } from '@plinth/errors';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import {
  createLoginThrottle,
  LOGIN_FAILED,
  LOGIN_LOCKED,
  type LoginAuditEvent,
  type LoginIdentity,
  type LoginThrottle,
  type LoginThrottleOptions,
} from '../../src/index.js';
import { captureLogger } from '../support/apps.js';

const IP = '203.0.113.7';
const ALICE: LoginIdentity = { tenantId: 't1', account: 'alice@example.com', ip: IP };
const PASSWORD = 'correct horse battery staple';

function setup(options: LoginThrottleOptions = {}) {
  const events: LoginAuditEvent[] = [];
  const log = captureLogger();
  const throttle = createLoginThrottle({
    audit: { record: (e) => void events.push(e) },
    logger: log.logger,
    ...options,
  });
  return { throttle, events, log };
}

/** The error an attempt ends with (or `ok` when it let the caller in). */
async function outcome(
  throttle: LoginThrottle,
  identity: LoginIdentity,
  correct: boolean,
): Promise<AppError | 'ok'> {
  try {
    await throttle.attempt(identity, async () => correct && { id: 'user-1' });
    return 'ok';
  } catch (err) {
    if (isAppError(err)) return err;
    throw err;
  }
}

const summary = (r: AppError | 'ok') =>
  r === 'ok'
    ? 'ok'
    : `${r.status} ${r.code}${'retryAfterSeconds' in r && r.retryAfterSeconds ? ` ${r.retryAfterSeconds}` : ''}`;

async function failTimes(throttle: LoginThrottle, identity: LoginIdentity, n: number) {
  const results: string[] = [];
  for (let i = 0; i < n; i++) results.push(summary(await outcome(throttle, identity, false)));
  return results;
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-12-01T08:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('login throttle: lockout', () => {
  it('returns what verify resolved with for a correct password', async () => {
    const { throttle } = setup();
    await expect(throttle.attempt(ALICE, async () => ({ id: 'user-1' }))).resolves.toEqual({
      id: 'user-1',
    });
  });

  it('answers a wrong password with one 401 AUTH_LOGIN_FAILED, whatever verify returned', async () => {
    const { throttle } = setup();
    for (const wrong of [false, null, undefined]) {
      const err = await throttle.attempt(ALICE, () => wrong).catch((e: AppError) => e);
      expect(err).toMatchObject({
        status: 401,
        code: LOGIN_FAILED,
        message: 'Invalid credentials',
      });
    }
  });

  it('locks the account from that address after five consecutive failures, with Retry-After', async () => {
    const { throttle } = setup();
    expect(await failTimes(throttle, ALICE, 5)).toEqual(Array(5).fill(`401 ${LOGIN_FAILED}`));
    const verify = vi.fn(async () => ({ id: 'user-1' }));
    const err = (await throttle.attempt(ALICE, verify).catch((e) => e)) as AppError & {
      retryAfterSeconds: number;
    };
    expect(err).toMatchObject({ status: 429, code: LOGIN_LOCKED, retryAfterSeconds: 60 });
    expect(verify).not.toHaveBeenCalled();
  });

  it('counts Retry-After down and lets the account in again when the lockout ends', async () => {
    const { throttle } = setup();
    await failTimes(throttle, ALICE, 5);
    vi.advanceTimersByTime(45_500);
    expect(summary(await outcome(throttle, ALICE, true))).toBe(`429 ${LOGIN_LOCKED} 15`);
    vi.advanceTimersByTime(14_500);
    expect(await outcome(throttle, ALICE, true)).toBe('ok');
  });

  it('doubles each further lockout in the window up to the maximum', async () => {
    const { throttle, events } = setup({ lockoutSeconds: 60, maxLockoutSeconds: 200 });
    const lockouts: number[] = [];
    for (let round = 0; round < 4; round++) {
      await failTimes(throttle, ALICE, 5);
      const err = (await outcome(throttle, ALICE, true)) as AppError & {
        retryAfterSeconds: number;
      };
      lockouts.push(err.retryAfterSeconds);
      vi.advanceTimersByTime(err.retryAfterSeconds * 1000);
    }
    expect(lockouts).toEqual([60, 120, 200, 200]);
    expect(
      events.filter((e) => e.action === 'auth.login.locked').map((e) => e.metadata.lockout),
    ).toEqual([1, 2, 3, 4]);
  });

  it('starts the doubling over once the failure window has passed', async () => {
    const { throttle } = setup({ failureWindowSeconds: 600 });
    await failTimes(throttle, ALICE, 5);
    vi.advanceTimersByTime(601_000);
    await failTimes(throttle, ALICE, 5);
    expect(summary(await outcome(throttle, ALICE, true))).toBe(`429 ${LOGIN_LOCKED} 60`);
  });

  it('forgets failures older than the window', async () => {
    const { throttle } = setup({ failureWindowSeconds: 600 });
    await failTimes(throttle, ALICE, 4);
    vi.advanceTimersByTime(601_000);
    expect(await failTimes(throttle, ALICE, 4)).toEqual(Array(4).fill(`401 ${LOGIN_FAILED}`));
    expect(await outcome(throttle, ALICE, true)).toBe('ok');
  });

  it('resets the consecutive count and the doubling on success', async () => {
    const { throttle } = setup();
    await failTimes(throttle, ALICE, 5);
    vi.advanceTimersByTime(60_000);
    expect(await outcome(throttle, ALICE, true)).toBe('ok');
    expect(await failTimes(throttle, ALICE, 4)).toEqual(Array(4).fill(`401 ${LOGIN_FAILED}`));
    expect(await outcome(throttle, ALICE, true)).toBe('ok');
    await failTimes(throttle, ALICE, 5);
    expect(summary(await outcome(throttle, ALICE, true))).toBe(`429 ${LOGIN_LOCKED} 60`);
  });

  it('keeps the lock to that account from that address', async () => {
    const { throttle } = setup();
    await failTimes(throttle, ALICE, 5);
    expect(await outcome(throttle, { ...ALICE, ip: '198.51.100.1' }, true)).toBe('ok');
    expect(await outcome(throttle, { ...ALICE, account: 'bob@example.com' }, true)).toBe('ok');
    expect(await outcome(throttle, { ...ALICE, tenantId: 't2' }, true)).toBe('ok');
  });

  it('counts spellings of one account and one address together', async () => {
    const { throttle } = setup();
    const spellings: LoginIdentity[] = [
      { tenantId: 't1', account: 'Alice@Example.com', ip: IP },
      { tenantId: 't1', account: '  alice@example.com ', ip: IP },
      { tenantId: 't1', account: 'ＡＬＩＣＥ@example.com', ip: IP },
      { tenantId: 't1', account: 'alice@example.com', ip: `::ffff:${IP}` },
      { tenantId: 't1', account: 'alice@example.com', ip: ` ::FFFF:${IP}` },
    ];
    for (const identity of spellings) await outcome(throttle, identity, false);
    expect(summary(await outcome(throttle, ALICE, true))).toBe(`429 ${LOGIN_LOCKED} 60`);
  });

  it('counts an IPv6 /64 as one address', async () => {
    const { throttle } = setup();
    for (let i = 1; i <= 5; i++)
      await outcome(throttle, { ...ALICE, ip: `2001:db8:1:2::${i.toString(16)}` }, false);
    expect(summary(await outcome(throttle, { ...ALICE, ip: '2001:db8:1:2:ffff::9' }, true))).toBe(
      `429 ${LOGIN_LOCKED} 60`,
    );
    expect(await outcome(throttle, { ...ALICE, ip: '2001:db8:1:3::1' }, true)).toBe('ok');
  });

  it('locks exactly once when failures arrive together', async () => {
    const { throttle, events } = setup();
    await Promise.all(Array.from({ length: 10 }, () => outcome(throttle, ALICE, false)));
    expect(events.filter((e) => e.action === 'auth.login.locked')).toHaveLength(1);
    expect(summary(await outcome(throttle, ALICE, true))).toBe(`429 ${LOGIN_LOCKED} 60`);
  });

  it('lets an error thrown by verify through without counting it', async () => {
    const { throttle, events } = setup();
    const boom = new Error('database down');
    for (let i = 0; i < 6; i++)
      await expect(
        throttle.attempt(ALICE, async () => {
          throw boom;
        }),
      ).rejects.toBe(boom);
    expect(events).toEqual([]);
    expect(await outcome(throttle, ALICE, true)).toBe('ok');
  });
});

describe('login throttle: per-address daily cap', () => {
  const other = (i: number): LoginIdentity => ({ ...ALICE, account: `user${i}@example.com` });

  it('closes an address to every account after the daily cap of failures', async () => {
    const { throttle, events } = setup({ maxFailuresPerIpPerDay: 100 });
    for (let i = 0; i < 100; i++) await outcome(throttle, other(i), false);
    expect(summary(await outcome(throttle, other(500), true))).toBe(`429 ${LOGIN_LOCKED} 86400`);
    expect(events.filter((e) => e.action === 'auth.login.locked')).toEqual([
      expect.objectContaining({
        outcome: 'denied',
        metadata: { failures: 1, scope: 'ip', lockoutSeconds: 86_400 },
      }),
    ]);
    expect(await outcome(throttle, { ...other(500), ip: '198.51.100.1' }, true)).toBe('ok');
  });

  it('is not reset by a success and opens again after a day', async () => {
    const { throttle } = setup({ maxFailuresPerIpPerDay: 10 });
    for (let i = 0; i < 9; i++) await outcome(throttle, other(i), false);
    expect(await outcome(throttle, ALICE, true)).toBe('ok');
    await outcome(throttle, other(9), false);
    expect(summary(await outcome(throttle, ALICE, true))).toBe(`429 ${LOGIN_LOCKED} 86400`);
    vi.advanceTimersByTime(86_400_000);
    expect(await outcome(throttle, ALICE, true)).toBe('ok');
  });

  it('sends the longer wait when both limits apply', async () => {
    const { throttle } = setup({ maxFailuresPerIpPerDay: 5 });
    await failTimes(throttle, ALICE, 5);
    expect(summary(await outcome(throttle, ALICE, true))).toBe(`429 ${LOGIN_LOCKED} 86400`);
  });
});

describe('login throttle: unknown accounts', () => {
  it('answers an unknown account exactly like a known one with a wrong password', async () => {
    const known = setup();
    const unknown = setup();
    const users = new Map([['alice@example.com', PASSWORD]]);
    const run = async (throttle: LoginThrottle, account: string) => {
      const results: string[] = [];
      for (let i = 0; i < 7; i++) {
        const r = await throttle
          .attempt({ ...ALICE, account }, async () => {
            const stored = users.get(account);
            return stored !== undefined && stored === 'guess' && { account };
          })
          .then(
            () => 'ok',
            (e: AppError) => summary(e),
          );
        results.push(r);
      }
      return results;
    };
    const a = await run(known.throttle, 'alice@example.com');
    const b = await run(unknown.throttle, 'nobody@example.com');
    expect(a).toEqual(b);
    expect(a.at(-1)).toBe(`429 ${LOGIN_LOCKED} 60`);
    const shape = (events: LoginAuditEvent[]) => events.map(({ resource: _r, ...rest }) => rest);
    expect(shape(known.events)).toEqual(shape(unknown.events));
  });
});

describe('login throttle: audit', () => {
  it('records each failure and the lockout with no tenant, no actor and no personal data', async () => {
    const { throttle, events } = setup({ hashKey: 'k'.repeat(32) });
    const ctx = createRequestContext({
      correlationId: 'corr-1',
      source: 'http',
      ip: IP,
      userAgent: 'test-agent',
    });
    await runWithContext(ctx, async () => {
      for (let i = 0; i < 5; i++)
        await throttle
          .attempt({ tenantId: 't1', account: 'Alice@Example.com' }, async () => {
            void PASSWORD;
            return false;
          })
          .catch(() => undefined);
    });
    const id = throttle.accountHash({ tenantId: 't1', account: 'alice@example.com' });
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(events).toHaveLength(6);
    expect(events[0]).toEqual({
      action: 'auth.login.failed',
      outcome: 'failure',
      actor: null,
      tenantId: null,
      resource: { type: 'login_account', id },
      correlationId: 'corr-1',
      requestId: ctx.requestId,
      ip: IP,
      userAgent: 'test-agent',
      metadata: { failures: 1 },
    });
    expect(events[5]).toMatchObject({
      action: 'auth.login.locked',
      outcome: 'denied',
      metadata: { failures: 5, scope: 'account_ip', lockoutSeconds: 60, lockout: 1 },
    });
    const text = JSON.stringify(events).toLowerCase();
    expect(text).not.toContain('alice');
    expect(text).not.toContain('example.com');
    expect(text).not.toContain('horse');
  });

  it('gives the same account hash for every instance with one hashKey, and another for another key', () => {
    const key = 'a-shared-key-of-at-least-32-bytes!!';
    const a = createLoginThrottle({ hashKey: key }).accountHash(ALICE);
    const b = createLoginThrottle({ hashKey: new TextEncoder().encode(key) }).accountHash(ALICE);
    const c = createLoginThrottle({ hashKey: 'x'.repeat(32) }).accountHash(ALICE);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(createLoginThrottle().accountHash(ALICE)).not.toBe(
      createLoginThrottle().accountHash(ALICE),
    );
  });

  it('logs a writer that throws or rejects and answers as usual', async () => {
    for (const record of [
      () => {
        throw new Error('audit down');
      },
      () => Promise.reject(new Error('audit down')),
    ]) {
      const log = captureLogger();
      const throttle = createLoginThrottle({ audit: { record }, logger: log.logger });
      expect(summary(await outcome(throttle, ALICE, false))).toBe(`401 ${LOGIN_FAILED}`);
      await vi.runAllTimersAsync();
      expect(log.lines).toContainEqual({
        level: 'error',
        obj: { action: 'auth.login.failed' },
        msg: 'audit writer failed to record a login event',
      });
    }
  });

  it('marks its 401 as audited only when it has a writer', async () => {
    const withWriter = (await outcome(setup().throttle, ALICE, false)) as AppError;
    const without = (await outcome(createLoginThrottle(), ALICE, false)) as AppError;
    expect(withWriter.context).toEqual({ reason: 'credentials', audited: true });
    expect(without.context).toEqual({ reason: 'credentials', audited: false });
  });
});

describe('login throttle: calls', () => {
  it('takes the client address from the request context', async () => {
    const { throttle } = setup();
    const ctx = createRequestContext({ source: 'http', ip: IP });
    await runWithContext(ctx, async () => {
      await failTimes(throttle, { tenantId: 't1', account: 'alice@example.com' }, 5);
    });
    expect(summary(await outcome(throttle, ALICE, true))).toBe(`429 ${LOGIN_LOCKED} 60`);
  });

  it('refuses a call without an address or a verify function as a wiring mistake', async () => {
    const { throttle } = setup();
    const err = await throttle
      .attempt({ account: 'a@b.c' }, 'nope' as unknown as () => boolean)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INVALID_OPTIONS', status: 500 });
    expect((err as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual([
      'identity.ip',
      'verify',
    ]);
    await expect(
      throttle.attempt(null as unknown as LoginIdentity, () => true),
    ).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  });

  it.each([
    ['an empty account', { account: '' }, 'account'],
    ['a blank account', { account: '   ' }, 'account'],
    ['a non-string account', { account: 42 }, 'account'],
    ['an over-long account', { account: 'a'.repeat(1025) }, 'account'],
    ['an empty tenant', { account: 'a@b.c', tenantId: '' }, 'tenantId'],
  ])('answers %s with 400 and counts nothing', async (_name, identity, path) => {
    const { throttle, events } = setup();
    const err = await throttle
      .attempt({ ip: IP, ...(identity as LoginIdentity) }, () => false)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      status: 400,
      code: 'AUTH_LOGIN_IDENTITY_INVALID',
      errors: [{ path }],
    });
    expect(events).toEqual([]);
  });

  it('types the result as what verify resolves with, without false, null or undefined', async () => {
    const { throttle } = setup();
    const found = { id: 'user-1' } as { id: string } | undefined;
    const ok = true as boolean;
    const user = throttle.attempt(ALICE, async () => ok && found);
    expectTypeOf(user).toEqualTypeOf<Promise<{ id: string }>>();
    // verify answers null: a failed login, awaited here so the rejection is handled.
    const refused = throttle.attempt(ALICE, () => null as string | null);
    expectTypeOf(refused).toEqualTypeOf<Promise<string>>();
    await expect(refused).rejects.toMatchObject({ code: LOGIN_FAILED });
    await expect(user).resolves.toEqual({ id: 'user-1' });
  });

  it('reports a passing health check on the memory store', async () => {
    const check = setup().throttle.healthCheck();
    expect(check).toMatchObject({ critical: false, componentType: 'datastore' });
    await expect(check.check(new AbortController().signal)).resolves.toBeUndefined();
  });
});
