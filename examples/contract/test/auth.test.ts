import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiFor, expectProblem, newClient, type Reply } from './support/api.js';
import { FRAMEWORKS } from './support/harness.js';
import { type TenantTokens, tenantTokens } from './support/tokens.js';

const PASSWORD = 'correct horse battery staple 42';

// Concurrent within a service: every case has accounts of its own, and most of the time
// is the service's scrypt work, which runs on its thread pool.
describe.concurrent.each(FRAMEWORKS)('staff accounts and sessions on %s', (framework) => {
  const api = apiFor(framework);
  let t: TenantTokens;

  beforeAll(async () => {
    t = await tenantTokens();
  });

  const email = (tag: string) => `${tag}.${randomUUID().slice(0, 8)}@staff.example.com`;

  const createUser = async (roles: string[] = ['staff'], address = email('user')) => {
    const reply = await api.call('POST', '/v1/users', {
      token: t.admin,
      json: { email: address, password: PASSWORD, roles },
    });
    expect(reply.status, reply.text).toBe(201);
    return { ...reply.body, email: address };
  };

  const login = (address: string, password = PASSWORD, tenantId = t.tenantId) =>
    api.call('POST', '/v1/auth/login', { json: { tenantId, email: address, password } });

  const expectSession = (reply: Reply) => {
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: expect.any(Number),
    });
    expect(reply.body.expiresIn).toBeGreaterThan(0);
    return reply.body as { accessToken: string; refreshToken: string; expiresIn: number };
  };

  describe('POST /v1/users', () => {
    it('creates a staff account for an admin and never returns the password or its hash', async () => {
      const address = email('new');
      const reply = await api.call('POST', '/v1/users', {
        token: t.admin,
        json: { email: address, password: PASSWORD, roles: ['staff'] },
      });
      expect(reply.status, reply.text).toBe(201);
      expect(reply.body).toMatchObject({
        id: expect.any(String),
        email: address,
        roles: ['staff'],
      });
      expect(reply.text).not.toContain(PASSWORD);
      expect(reply.text).not.toMatch(/\$argon2|\$scrypt|passwordHash|password_hash/i);
    });

    it.each(['staff', 'viewer'] as const)('refuses %s with 403', async (role) => {
      const reply = await api.call('POST', '/v1/users', {
        token: t[role],
        json: { email: email('denied'), password: PASSWORD, roles: ['staff'] },
      });
      expectProblem(reply, 403);
    });

    it('answers 409 to an email that already has an account in the tenant', async () => {
      const user = await createUser();
      const reply = await api.call('POST', '/v1/users', {
        token: t.admin,
        json: { email: user.email, password: PASSWORD, roles: ['viewer'] },
      });
      expectProblem(reply, 409);
    });

    it.each([
      ['a missing password', { roles: ['staff'] }],
      ['an unknown role', { password: PASSWORD, roles: ['root'] }],
      ['the client role', { password: PASSWORD, roles: ['client'] }],
      ['an empty password', { password: '', roles: ['staff'] }],
    ])('answers 400 with errors[] to %s', async (_name, json) => {
      const reply = await api.call('POST', '/v1/users', {
        token: t.admin,
        json: { email: email('bad'), ...json },
      });
      expect(expectProblem(reply, 400).errors.length).toBeGreaterThan(0);
    });
  });

  describe('POST /v1/auth/login', () => {
    it('issues an access token the API accepts, with the account’s tenant and roles', async () => {
      const user = await createUser(['viewer']);
      const session = expectSession(await login(user.email));
      const claims = decodeJwt(session.accessToken);
      expect(claims).toMatchObject({ tenant_id: t.tenantId, roles: ['viewer'], sub: user.id });
      const list = await api.call('GET', '/v1/clients', { token: session.accessToken });
      expect(list.status, list.text).toBe(200);
      // A viewer's token from login reads but does not write.
      expectProblem(
        await api.call('POST', '/v1/clients', {
          token: session.accessToken,
          json: newClient('login-viewer'),
        }),
        403,
      );
    });

    it('answers a wrong password and an unknown account with the same 401', async () => {
      const user = await createUser();
      const wrong = await login(user.email, 'not the password at all');
      const unknown = await login(email('ghost'), PASSWORD);
      const wrongBody = expectProblem(wrong, 401);
      const unknownBody = expectProblem(unknown, 401);
      const shape = (b: Record<string, unknown>) => ({
        code: b.code,
        title: b.title,
        detail: b.detail,
      });
      expect(shape(unknownBody)).toEqual(shape(wrongBody));
    });

    it('answers the right password in another tenant with 401', async () => {
      const user = await createUser();
      expectProblem(await login(user.email, PASSWORD, randomUUID()), 401);
    });

    it('signs in with the tenant id in upper case, as the same account', async () => {
      const user = await createUser();
      const session = expectSession(await login(user.email, PASSWORD, t.tenantId.toUpperCase()));
      expect(decodeJwt(session.accessToken)).toMatchObject({ tenant_id: t.tenantId, sub: user.id });
    });

    it('counts failures under every letter case of the tenant id as one account: no spelling escapes the lockout', async () => {
      const user = await createUser();
      // Five spellings of the one tenant id, each with another of its letters in upper case.
      const letters = [...t.tenantId.matchAll(/[a-f]/g)].map((m) => m.index);
      const spellings = letters
        .slice(0, 5)
        .map(
          (i) =>
            `${t.tenantId.slice(0, i)}${t.tenantId[i]?.toUpperCase()}${t.tenantId.slice(i + 1)}`,
        );
      expect(new Set(spellings).size).toBe(5);
      const statuses: number[] = [];
      for (const tenantId of spellings)
        statuses.push((await login(user.email, 'not the password at all', tenantId)).status);
      expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
      // Locked, with the right password, whichever way the tenant id is written.
      expectProblem(await login(user.email, PASSWORD), 429);
      expectProblem(await login(user.email, PASSWORD, t.tenantId.toUpperCase()), 429);
    });

    it('answers 400 with errors[] to a malformed login', async () => {
      const reply = await api.call('POST', '/v1/auth/login', { json: { email: 'x' } });
      expect(expectProblem(reply, 400).errors.length).toBeGreaterThan(0);
    });

    const lockout = async (address: string, knownPassword?: string) => {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await login(address, `wrong-${i}-password`)).status);
      // Five consecutive failures lock the account for this IP: the first four are 401,
      // the fifth is 401 or already 429.
      expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
      expect([401, 429]).toContain(statuses[4]);
      const locked = await login(address, knownPassword ?? PASSWORD);
      expectProblem(locked, 429);
      const retryAfter = Number(locked.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThan(0);
      return locked;
    };

    it('locks a known and an unknown account out alike: 429 with Retry-After after five failures, even with the right password', async () => {
      const [known, unknown] = await Promise.all([
        createUser().then((user) => lockout(user.email, PASSWORD)),
        lockout(email('nobody')),
      ]);
      expect(unknown.body.code).toBe(known.body.code);
      expect(unknown.body.detail).toBe(known.body.detail);
    });

    it('resets the failure count on a successful login', async () => {
      const user = await createUser();
      for (let i = 0; i < 4; i++) expect((await login(user.email, 'wrong')).status).toBe(401);
      expectSession(await login(user.email));
      // Without the reset these would be failures 5 to 8: locked out by now.
      for (let i = 0; i < 4; i++) expect((await login(user.email, 'wrong')).status).toBe(401);
    });
  });

  describe('POST /v1/auth/refresh and /v1/auth/logout', () => {
    it('rotates the refresh token: a new pair each time, the new access token works', async () => {
      const user = await createUser();
      const first = expectSession(await login(user.email));
      const second = expectSession(
        await api.call('POST', '/v1/auth/refresh', { json: { refreshToken: first.refreshToken } }),
      );
      expect(second.refreshToken).not.toBe(first.refreshToken);
      const third = expectSession(
        await api.call('POST', '/v1/auth/refresh', { json: { refreshToken: second.refreshToken } }),
      );
      expect(third.refreshToken).not.toBe(second.refreshToken);
      expect((await api.call('GET', '/v1/clients', { token: third.accessToken })).status).toBe(200);
    });

    it('revokes the whole family when a rotated refresh token is reused', async () => {
      const user = await createUser();
      const first = expectSession(await login(user.email));
      const second = expectSession(
        await api.call('POST', '/v1/auth/refresh', { json: { refreshToken: first.refreshToken } }),
      );
      // The stolen, already-rotated token comes back: 401, and the family is gone.
      expectProblem(
        await api.call('POST', '/v1/auth/refresh', { json: { refreshToken: first.refreshToken } }),
        401,
      );
      expectProblem(
        await api.call('POST', '/v1/auth/refresh', { json: { refreshToken: second.refreshToken } }),
        401,
      );
      // Another session of the same account is another family: unaffected.
      const other = expectSession(await login(user.email));
      expectSession(
        await api.call('POST', '/v1/auth/refresh', { json: { refreshToken: other.refreshToken } }),
      );
    });

    it.each([
      ['a random string', 'not-a-refresh-token'],
      ['an access token', 'ACCESS'],
    ])('answers 401 to %s as refresh token', async (_name, value) => {
      const user = await createUser();
      const session = expectSession(await login(user.email));
      const refreshToken = value === 'ACCESS' ? session.accessToken : value;
      expectProblem(await api.call('POST', '/v1/auth/refresh', { json: { refreshToken } }), 401);
    });

    it('answers 400 with errors[] to a refresh without a token', async () => {
      const reply = await api.call('POST', '/v1/auth/refresh', { json: {} });
      expect(expectProblem(reply, 400).errors.length).toBeGreaterThan(0);
    });

    it('logs out: the refresh token no longer refreshes', async () => {
      const user = await createUser();
      const session = expectSession(await login(user.email));
      const out = await api.call('POST', '/v1/auth/logout', {
        token: session.accessToken,
        json: { refreshToken: session.refreshToken },
      });
      expect(out.status, out.text).toBe(204);
      expectProblem(
        await api.call('POST', '/v1/auth/refresh', {
          json: { refreshToken: session.refreshToken },
        }),
        401,
      );
    });
  });
});
