import { randomUUID } from 'node:crypto';
import { createBlindIndex, hashPassword } from '@plinth/crypto';
import { sql } from '@plinth/db-repository';
import type { RouteDefinition } from '@plinth/http-adapters';
import { jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRefreshTokenRepository } from '../src/auth/refresh-tokens-repository.js';
import { hashRefreshToken, newRefreshToken } from '../src/auth/tokens.js';
import { createUserRepository } from '../src/auth/users-repository.js';
import { normalizeEmail } from '../src/deps.js';
import { type Caller, call, newTenant, startTestApp, type TestApp } from './support.js';

const DATABASE_URL = process.env.DATABASE_URL;

interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

describe.skipIf(!DATABASE_URL)(
  'staff accounts and sessions on PostgreSQL (needs DATABASE_URL)',
  () => {
    let t: TestApp;
    let routes: readonly RouteDefinition[];
    const tenant = newTenant();
    const admin: Caller = { tenantId: tenant, id: randomUUID(), roles: ['admin'] };
    const password = 'correct horse battery staple';
    let ipCounter = 0;
    /** Each test logs in from its own address, so the throttle's counters never cross tests. */
    const nextIp = () => `192.0.2.${++ipCounter}`;
    const uniqueEmail = () => `u${Math.random().toString(36).slice(2)}@example.com`;

    beforeAll(async () => {
      t = await startTestApp(DATABASE_URL as string);
      routes = t.app.httpOptions.routes ?? [];
    });
    afterAll(() => t?.close());

    const createUser = (by: Caller, body: Record<string, unknown>) =>
      call(routes, 'POST', '/v1/users', by, { body });
    const login = (body: Record<string, unknown>, ip: string) =>
      call(routes, 'POST', '/v1/auth/login', null, { body, ip });
    const refresh = (refreshToken: string) =>
      call(routes, 'POST', '/v1/auth/refresh', null, { body: { refreshToken } });
    const logout = (refreshToken: string) =>
      call(routes, 'POST', '/v1/auth/logout', null, { body: { refreshToken } });
    const trail = async (resourceId: string) => {
      const r = await call(routes, 'GET', '/v1/audit-events', admin, { query: { resourceId } });
      return (
        r.body as {
          items: { action: string; outcome: string; metadata: Record<string, unknown> }[];
        }
      ).items;
    };
    const newUser = async (roles: string[] = ['staff']) => {
      const email = uniqueEmail();
      const { body } = await createUser(admin, { email, password, roles });
      return { id: (body as { id: string }).id, email };
    };
    const loginAs = async (email: string) =>
      (await login({ tenantId: tenant, email, password }, nextIp())).body as Tokens;

    it('creates a staff account: 201, no-store, the JSON without the hash, email encrypted at rest', async () => {
      const email = uniqueEmail();
      const r = await createUser(admin, { email, password, roles: ['staff', 'viewer'] });
      expect(r.status).toBe(201);
      expect(r.headers['cache-control']).toBe('no-store');
      const body = r.body as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(['createdAt', 'email', 'id', 'roles']);
      expect(body).toMatchObject({ email, roles: ['staff', 'viewer'] });
      const row = await t.db.one(
        sql`SELECT email, password_hash FROM users WHERE id = ${body.id as string}`,
      );
      expect(String(row.email)).toMatch(/^pl1\./);
      expect(String(row.email)).not.toContain(email);
      expect(String(row.password_hash)).toMatch(/^\$scrypt\$ln=16,r=8,p=2\$/);
      const events = await trail(body.id as string);
      expect(events.map((e) => [e.action, e.metadata])).toEqual([
        ['user.created', { roles: ['staff', 'viewer'] }],
      ]);
    });

    it('answers 409 USER_EMAIL_EXISTS for an email the tenant has, however spelled; other tenants may', async () => {
      const { email } = await newUser();
      await expect(
        createUser(admin, { email: email.toUpperCase(), password, roles: ['viewer'] }),
      ).rejects.toMatchObject({ status: 409, code: 'USER_EMAIL_EXISTS' });
      const elsewhere: Caller = { tenantId: newTenant(), roles: ['admin'] };
      expect((await createUser(elsewhere, { email, password, roles: ['admin'] })).status).toBe(201);
    });

    it('logs in: no-store tokens, an access token the service itself verifies', async () => {
      const { id, email } = await newUser(['admin']);
      const r = await login({ tenantId: tenant.toUpperCase(), email, password }, nextIp());
      expect(r.status).toBe(200);
      expect(r.headers).toMatchObject({ 'cache-control': 'no-store', pragma: 'no-cache' });
      const tokens = r.body as Tokens;
      expect(tokens.expiresIn).toBe(t.config.AUTH_ACCESS_TOKEN_TTL / 1000);
      const secret = t.config.AUTH_JWT_SECRET?.reveal() ?? '';
      const { payload } = await jwtVerify(tokens.accessToken, new TextEncoder().encode(secret), {
        issuer: t.config.AUTH_ISSUER,
        audience: t.config.AUTH_AUDIENCE,
      });
      expect(payload).toMatchObject({ sub: id, tenant_id: tenant, roles: ['admin'] });
      const stored = await t.db.maybeOne(
        sql`SELECT user_id, tenant_id FROM refresh_tokens WHERE token_hash = ${hashRefreshToken(tokens.refreshToken)}`,
      );
      expect(stored).toEqual({ user_id: id, tenant_id: tenant });
      expect((await trail(id)).map((e) => e.action)).toContain('auth.login.succeeded');
    });

    it('answers one 401 for a wrong password, an unknown email and another tenant alike', async () => {
      const { email } = await newUser();
      const ip = nextIp();
      const refused = { status: 401, code: 'AUTH_LOGIN_FAILED' };
      await expect(
        login({ tenantId: tenant, email, password: `${password}!` }, ip),
      ).rejects.toMatchObject(refused);
      await expect(
        login({ tenantId: tenant, email: uniqueEmail(), password }, ip),
      ).rejects.toMatchObject(refused);
      await expect(login({ tenantId: newTenant(), email, password }, ip)).rejects.toMatchObject(
        refused,
      );
    });

    it('locks an account out from an address after 5 failures, even for the right password', async () => {
      const { email } = await newUser();
      const ip = nextIp();
      for (let i = 0; i < 5; i++)
        await expect(
          login({ tenantId: tenant, email, password: 'wrong password!!' }, ip),
        ).rejects.toMatchObject({ status: 401 });
      await expect(login({ tenantId: tenant, email, password }, ip)).rejects.toMatchObject({
        status: 429,
        code: 'AUTH_LOGIN_LOCKED',
      });
      // The lockout is per account and address: the owner elsewhere still gets in.
      expect((await login({ tenantId: tenant, email, password }, nextIp())).status).toBe(200);
    });

    it('finds the account by email however it is typed', async () => {
      const { id, email } = await newUser();
      const r = await login({ tenantId: tenant, email: email.toUpperCase(), password }, nextIp());
      const { payload } = await jwtVerify(
        (r.body as Tokens).accessToken,
        new TextEncoder().encode(t.config.AUTH_JWT_SECRET?.reveal() ?? ''),
      );
      expect(payload.sub).toBe(id);
    });

    it('rehashes a password stored with outdated parameters at the next login', async () => {
      const users = createUserRepository(
        t.db,
        t.app.deps.fields,
        createBlindIndex({
          key: t.config.BLIND_INDEX_KEY.reveal(),
          scope: 'users.email',
          normalize: normalizeEmail,
        }),
      );
      const email = uniqueEmail();
      const old = await hashPassword(password, { ln: 10, r: 8, p: 1 });
      const user = await users.insert(tenant, {
        id: randomUUID(),
        email,
        roles: ['viewer'],
        passwordHash: old,
      });
      expect(user?.passwordHash).toBe(old);
      expect((await login({ tenantId: tenant, email, password }, nextIp())).status).toBe(200);
      const after = await users.findById(tenant, user?.id as string);
      expect(after?.passwordHash).toMatch(/^\$scrypt\$ln=16,r=8,p=2\$/);
      const succeeded = (await trail(user?.id as string)).find(
        (e) => e.action === 'auth.login.succeeded',
      );
      expect(succeeded?.metadata).toMatchObject({ rehashed: true });
      // The new hash still verifies the same password.
      expect((await login({ tenantId: tenant, email, password }, nextIp())).status).toBe(200);
    });

    it('rotates a refresh token: a new one each time, the family expiry kept', async () => {
      const { email } = await newUser();
      const first = await loginAs(email);
      const r = await refresh(first.refreshToken);
      expect(r.status).toBe(200);
      expect(r.headers).toMatchObject({ 'cache-control': 'no-store', pragma: 'no-cache' });
      const second = r.body as Tokens;
      expect(second.refreshToken).not.toBe(first.refreshToken);
      const rows = await t.db.many(
        sql`SELECT token_hash, family_id, expires_at, rotated_at FROM refresh_tokens
          WHERE token_hash = ANY(${[hashRefreshToken(first.refreshToken), hashRefreshToken(second.refreshToken)]}::bytea[])
          ORDER BY created_at, rotated_at NULLS LAST`,
      );
      expect(rows).toHaveLength(2);
      const [a, b] = rows as [Record<string, unknown>, Record<string, unknown>];
      expect(a.family_id).toBe(b.family_id);
      expect((a.expires_at as Date).getTime()).toBe((b.expires_at as Date).getTime());
      expect(rows.filter((row) => row.rotated_at !== null)).toHaveLength(1);
      expect((await refresh(second.refreshToken)).status).toBe(200);
    });

    it('revokes the whole family when a rotated token comes back (reuse), and says only 401', async () => {
      const { id, email } = await newUser();
      const first = await loginAs(email);
      const second = (await refresh(first.refreshToken)).body as Tokens;
      const invalid = { status: 401, code: 'REFRESH_TOKEN_INVALID' };
      await expect(refresh(first.refreshToken)).rejects.toMatchObject(invalid);
      // The refusal committed: the legitimate holder's newer token is revoked as well.
      await expect(refresh(second.refreshToken)).rejects.toMatchObject(invalid);
      const events = await trail(id);
      const reused = events.find((e) => e.action === 'auth.refresh.reused');
      expect(reused).toMatchObject({
        outcome: 'denied',
        metadata: { reason: 'reused', revoked: 2 },
      });
      const rejected = events.find((e) => e.action === 'auth.refresh.rejected');
      expect(rejected).toMatchObject({ outcome: 'failure', metadata: { reason: 'revoked' } });
    });

    it('refuses a token it never issued, and an expired one', async () => {
      await expect(refresh(newRefreshToken())).rejects.toMatchObject({
        status: 401,
        code: 'REFRESH_TOKEN_INVALID',
      });
      const { id } = await newUser();
      const token = newRefreshToken();
      await t.db.transaction(() =>
        createRefreshTokenRepository(t.db).insert({
          id: randomUUID(),
          tenantId: tenant,
          userId: id,
          familyId: randomUUID(),
          tokenHash: hashRefreshToken(token),
          expiresAt: new Date(Date.now() - 60_000),
        }),
      );
      await expect(refresh(token)).rejects.toMatchObject({ code: 'REFRESH_TOKEN_INVALID' });
      const expired = (await trail(id)).find((e) => e.action === 'auth.refresh.rejected');
      expect(expired?.metadata).toMatchObject({ reason: 'expired' });
    });

    it('logs out: the family is revoked, and logging out again or with garbage is still 204', async () => {
      const { id, email } = await newUser();
      const first = await loginAs(email);
      const second = (await refresh(first.refreshToken)).body as Tokens;
      const r = await logout(second.refreshToken);
      expect(r.status).toBe(204);
      await expect(refresh(second.refreshToken)).rejects.toMatchObject({ status: 401 });
      expect((await logout(second.refreshToken)).status).toBe(204);
      expect((await logout('not-a-token-we-issued')).status).toBe(204);
      const logouts = (await trail(id)).filter((e) => e.action === 'auth.logout');
      // The first logout revoked both tokens of the family (rotated and live); the second found none left.
      expect(logouts.map((e) => e.metadata.revoked).sort()).toEqual([0, 2]);
    });
  },
);

describe.skipIf(!DATABASE_URL)('repositories of the auth feature (needs DATABASE_URL)', () => {
  let t: TestApp;
  const tenant = newTenant();
  const hash = '$scrypt$ln=16,r=8,p=2$c2FsdA$ZGlnZXN0';

  beforeAll(async () => {
    t = await startTestApp(DATABASE_URL as string);
  });
  afterAll(() => t?.close());

  const users = () =>
    createUserRepository(
      t.db,
      t.app.deps.fields,
      createBlindIndex({ key: t.config.BLIND_INDEX_KEY.reveal(), scope: 'users.email' }),
    );

  it('keeps accounts per tenant: null for a duplicate, invisible from another tenant', async () => {
    const repo = users();
    const id = randomUUID();
    const created = await repo.insert(tenant, {
      id,
      email: 'dup@example.com',
      roles: ['admin'],
      passwordHash: hash,
    });
    expect(created).toMatchObject({
      id,
      tenantId: tenant,
      email: 'dup@example.com',
      roles: ['admin'],
    });
    expect(
      await repo.insert(tenant, {
        id: randomUUID(),
        email: 'dup@example.com',
        roles: ['staff'],
        passwordHash: hash,
      }),
    ).toBeNull();
    expect(await repo.findById(newTenant(), id)).toBeNull();
    expect(await repo.findByEmail(newTenant(), 'dup@example.com')).toBeNull();
    expect((await repo.findByEmail(tenant, 'dup@example.com'))?.id).toBe(id);
    expect(await repo.findByEmail(tenant, 'other@example.com')).toBeNull();
  });

  it('changes a hash only in the named tenant', async () => {
    const repo = users();
    const id = randomUUID();
    await repo.insert(tenant, {
      id,
      email: 'rehash@example.com',
      roles: ['staff'],
      passwordHash: hash,
    });
    await repo.updatePasswordHash(newTenant(), id, '$scrypt$other');
    expect((await repo.findById(tenant, id))?.passwordHash).toBe(hash);
    await repo.updatePasswordHash(tenant, id, '$scrypt$other');
    expect((await repo.findById(tenant, id))?.passwordHash).toBe('$scrypt$other');
  });

  it('marks a token rotated once, and revokes only the live tokens of a family', async () => {
    const repo = createRefreshTokenRepository(t.db);
    const userId = randomUUID();
    await users().insert(tenant, {
      id: userId,
      email: 'tokens@example.com',
      roles: ['staff'],
      passwordHash: hash,
    });
    const familyId = randomUUID();
    const tokens = [newRefreshToken(), newRefreshToken(), newRefreshToken()];
    const ids: string[] = [];
    const expiresAt = new Date('2100-01-01T00:00:00.000Z');
    for (const token of tokens) {
      const id = randomUUID();
      ids.push(id);
      await repo.insert({
        id,
        tenantId: tenant,
        userId,
        familyId,
        tokenHash: hashRefreshToken(token),
        expiresAt,
      });
    }
    const found = await t.db.transaction(() =>
      repo.findForUpdate(hashRefreshToken(tokens[0] as string)),
    );
    expect(found).toMatchObject({
      id: ids[0],
      tenantId: tenant,
      userId,
      familyId,
      expiresAt,
      rotatedAt: null,
      revokedAt: null,
    });
    expect(found?.now).toBeInstanceOf(Date);
    expect(await repo.findForUpdate(hashRefreshToken(newRefreshToken()))).toBeNull();

    expect(await repo.markRotated(ids[0] as string)).toBe(true);
    expect(await repo.markRotated(ids[0] as string)).toBe(false);
    expect(await repo.revokeFamily(familyId)).toBe(3);
    expect(await repo.revokeFamily(familyId)).toBe(0);
    expect(await repo.markRotated(ids[1] as string)).toBe(false);
    const after = await repo.findForUpdate(hashRefreshToken(tokens[1] as string));
    expect(after?.revokedAt).toBeInstanceOf(Date);
    expect(after?.rotatedAt).toBeNull();
  });
});
