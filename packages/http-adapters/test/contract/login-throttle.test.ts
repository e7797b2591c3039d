import { createHash, timingSafeEqual } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  type AuditEventLike,
  createLoginThrottle,
  defineRoute,
  LOGIN_FAILED,
  LOGIN_LOCKED,
  type LoginAuditEvent,
} from '../../src/index.js';
import { FRAMEWORKS, readJson, useApp } from '../support/fixture.js';

// Stand-ins for @plinth/crypto's hashPassword / verifyPassword: the same work for every call.
const digest = (password: string) => createHash('sha256').update(password).digest();
const verifyPassword = async (password: string, hash: Buffer) =>
  timingSafeEqual(digest(password), hash);
const DUMMY_HASH = digest('a password nobody has');
const USERS = new Map([['t1/alice@example.com', { id: 'user-1', hash: digest('right') }]]);

/** A login route as a service writes it, with its own throttle and audit trail. */
function loginApp() {
  const events: (LoginAuditEvent | AuditEventLike)[] = [];
  const audit = { record: (e: LoginAuditEvent | AuditEventLike) => void events.push(e) };
  const throttle = createLoginThrottle({ audit });
  const login = defineRoute({
    method: 'POST',
    path: '/v1/auth/login',
    schema: {
      body: z.object({
        tenantId: z.string().min(1),
        email: z.string().min(1),
        password: z.string(),
      }),
    },
    handler: async ({ body }) => {
      const user = await throttle.attempt(
        { tenantId: body.tenantId, account: body.email },
        async () => {
          const found = USERS.get(`${body.tenantId}/${body.email.toLowerCase()}`);
          const ok = await verifyPassword(body.password, found?.hash ?? DUMMY_HASH);
          return ok && found;
        },
      );
      return { userId: user.id };
    },
  });
  return { events, options: { routes: [login], audit } };
}

const post = (url: string, email: string, password: string) =>
  fetch(`${url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenantId: 't1', email, password }),
  });

describe.each(FRAMEWORKS)('a throttled login route on %s', (framework) => {
  const app = loginApp();
  const t = useApp(framework, app.options);

  it('signs in with the right password', async () => {
    const res = await post(t.app.url, 'alice@example.com', 'right');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ userId: 'user-1' });
  });

  it.each(['alice@example.com', 'nobody@example.com'])(
    'answers five wrong passwords for %s with 401, then 429 with Retry-After',
    async (email) => {
      for (let i = 0; i < 5; i++) {
        const res = await post(t.app.url, email, 'wrong');
        expect(res.status).toBe(401);
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect((await readJson(res)).code).toBe(LOGIN_FAILED);
      }
      const res = await post(t.app.url, email, email.startsWith('alice') ? 'right' : 'wrong');
      expect(res.status).toBe(429);
      // The 60 s lockout started with the fifth failure; a stalled machine may have used a second.
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(retryAfter === 60 || retryAfter === 59).toBe(true);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const body = await readJson(res);
      expect(body).toMatchObject({
        status: 429,
        code: LOGIN_LOCKED,
        retryAfterSeconds: retryAfter,
      });
      expect(JSON.stringify(body)).not.toContain(email);
    },
  );

  it('audits failures and the lockout once each, as login events, with no account in clear', async () => {
    app.events.length = 0;
    for (let i = 0; i < 6; i++) await post(t.app.url, 'carol@example.com', 'wrong');
    expect(app.events.map((e) => e.action)).toEqual([
      ...Array(5).fill('auth.login.failed'),
      'auth.login.locked',
    ]);
    expect(JSON.stringify(app.events)).not.toMatch(/carol|example|wrong/);
  });
});
