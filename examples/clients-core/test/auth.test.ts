import { randomUUID } from 'node:crypto';
import { createRequestContext } from '@plinth/context';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { toUserJson } from '../src/auth/routes.js';
import { createUserBody, loginBody, refreshBody } from '../src/auth/schemas.js';
import { selfOf } from '../src/auth/tiers.js';
import { createTokenIssuer, hashRefreshToken, newRefreshToken } from '../src/auth/tokens.js';

const SECRET = 'a-test-secret-of-at-least-32-bytes!!';
const TENANT = 'abcdefab-cdef-4abc-8def-abcdefabcdef';
const USER = '0b7f6f3e-2d1c-4e5f-9a8b-7c6d5e4f3a2b';

const issuerOptions = { secret: SECRET, issuer: 'clients', audience: 'clients-api' };

describe('createTokenIssuer', () => {
  it('refuses a secret shorter than 32 bytes, counted in UTF-8 bytes', () => {
    expect(() =>
      createTokenIssuer({ ...issuerOptions, secret: 'x'.repeat(31), accessTtlMs: 60_000 }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    // 16 two-byte characters are 32 bytes: accepted.
    expect(() =>
      createTokenIssuer({ ...issuerOptions, secret: 'é'.repeat(16), accessTtlMs: 60_000 }),
    ).not.toThrow();
  });

  it.each([999, 0, -5_000, Number.NaN])('refuses an access lifetime of %s ms', (accessTtlMs) => {
    expect(() => createTokenIssuer({ ...issuerOptions, accessTtlMs })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
  });

  it('signs an HS256 token the configured issuer and audience verify, with every claim', async () => {
    const now = 1_700_000_000_123;
    const issuer = createTokenIssuer({ ...issuerOptions, accessTtlMs: 900_500, now: () => now });
    const roles = ['staff', 'viewer'] as const;
    const { token, expiresIn } = await issuer.accessToken({
      userId: USER,
      tenantId: TENANT,
      roles,
    });
    expect(expiresIn).toBe(900);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const { payload } = await jwtVerify(token, new TextEncoder().encode(SECRET), {
      issuer: 'clients',
      audience: 'clients-api',
      algorithms: ['HS256'],
      currentDate: new Date(now),
    });
    expect(payload).toMatchObject({
      iss: 'clients',
      aud: 'clients-api',
      sub: USER,
      tenant_id: TENANT,
      roles: ['staff', 'viewer'],
      iat: 1_700_000_000,
      exp: 1_700_000_900,
    });
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gives every token its own jti and refuses verification under another secret', async () => {
    const issuer = createTokenIssuer({ ...issuerOptions, accessTtlMs: 60_000 });
    const claims = { userId: USER, tenantId: TENANT, roles: ['admin'] as const };
    const a = await issuer.accessToken(claims);
    const b = await issuer.accessToken(claims);
    const key = new TextEncoder().encode(SECRET);
    const [pa, pb] = await Promise.all([jwtVerify(a.token, key), jwtVerify(b.token, key)]);
    expect(pa.payload.jti).not.toBe(pb.payload.jti);
    await expect(
      jwtVerify(a.token, new TextEncoder().encode('another-secret-of-at-least-32-bytes')),
    ).rejects.toThrow();
  });

  it('issues tokens that are expired once the lifetime has passed', async () => {
    const now = 1_700_000_000_000;
    const issuer = createTokenIssuer({ ...issuerOptions, accessTtlMs: 60_000, now: () => now });
    const { token } = await issuer.accessToken({
      userId: USER,
      tenantId: TENANT,
      roles: ['staff'],
    });
    await expect(
      jwtVerify(token, new TextEncoder().encode(SECRET), { currentDate: new Date(now + 61_000) }),
    ).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
  });
});

describe('refresh tokens', () => {
  it('are 256 random bits in base64url, never twice the same', () => {
    const tokens = new Set(Array.from({ length: 20 }, newRefreshToken));
    expect(tokens.size).toBe(20);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    }
  });

  it('are stored as their SHA-256: 32 bytes, stable, distinct per token', () => {
    const token = newRefreshToken();
    const hash = hashRefreshToken(token);
    expect(hash).toHaveLength(32);
    expect(hashRefreshToken(token).equals(hash)).toBe(true);
    expect(hashRefreshToken(`${token}x`).equals(hash)).toBe(false);
    expect(hashRefreshToken('abc').toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

describe('auth schemas', () => {
  const user = { email: 'ada@example.com', password: 'correct horse battery', roles: ['staff'] };
  const issues = (result: {
    success: boolean;
    error?: { issues: { path: PropertyKey[]; message: string }[] };
  }) => result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

  it('accepts a staff account with 12 to 256 password characters', () => {
    expect(createUserBody.safeParse({ ...user, password: 'x'.repeat(12) }).success).toBe(true);
    expect(createUserBody.safeParse({ ...user, password: 'x'.repeat(256) }).success).toBe(true);
    expect(createUserBody.safeParse({ ...user, roles: ['admin', 'staff', 'viewer'] }).success).toBe(
      true,
    );
  });

  it('refuses short, overlong and blank passwords', () => {
    expect(issues(createUserBody.safeParse({ ...user, password: 'x'.repeat(11) }))).toEqual([
      'password: must be at least 12 characters',
    ]);
    expect(createUserBody.safeParse({ ...user, password: 'x'.repeat(257) }).success).toBe(false);
    expect(issues(createUserBody.safeParse({ ...user, password: ' '.repeat(12) }))).toEqual([
      'password: must not be only spaces',
    ]);
  });

  it('refuses no role, a repeated role, an unknown role and unknown fields', () => {
    expect(createUserBody.safeParse({ ...user, roles: [] }).success).toBe(false);
    expect(issues(createUserBody.safeParse({ ...user, roles: ['staff', 'staff'] }))).toEqual([
      'roles: must not repeat a role',
    ]);
    expect(createUserBody.safeParse({ ...user, roles: ['client'] }).success).toBe(false);
    expect(createUserBody.safeParse({ ...user, tenantId: TENANT }).success).toBe(false);
    expect(createUserBody.safeParse({ ...user, email: 'not-an-email' }).success).toBe(false);
  });

  it('lower-cases the tenant of a login, so every spelling counts against one throttle key', () => {
    const parsed = loginBody.parse({
      tenantId: TENANT.toUpperCase(),
      email: 'ada@example.com',
      password: 'x',
    });
    expect(parsed.tenantId).toBe(TENANT);
    expect(
      loginBody.safeParse({ tenantId: 'tenant-1', email: 'ada@example.com', password: 'x' })
        .success,
    ).toBe(false);
    expect(
      loginBody.safeParse({ tenantId: TENANT, email: 'ada@example.com', password: '' }).success,
    ).toBe(false);
  });

  it('bounds a refresh token to 1-1024 characters and nothing else', () => {
    expect(refreshBody.safeParse({ refreshToken: 'x' }).success).toBe(true);
    expect(refreshBody.safeParse({ refreshToken: 'x'.repeat(1024) }).success).toBe(true);
    expect(refreshBody.safeParse({ refreshToken: '' }).success).toBe(false);
    expect(refreshBody.safeParse({ refreshToken: 'x'.repeat(1025) }).success).toBe(false);
    expect(refreshBody.safeParse({ refreshToken: 'x', extra: 1 }).success).toBe(false);
  });
});

describe('toUserJson', () => {
  it('shows the account without its password hash, roles copied', () => {
    const roles = ['admin'] as const;
    const json = toUserJson({
      id: USER,
      tenantId: TENANT,
      email: 'ada@example.com',
      roles,
      passwordHash: '$scrypt$secret',
      createdAt: new Date('2024-05-06T07:08:09.010Z'),
    });
    expect(json).toEqual({
      id: USER,
      email: 'ada@example.com',
      roles: ['admin'],
      createdAt: '2024-05-06T07:08:09.010Z',
    });
    expect(json.roles).not.toBe(roles);
    expect(JSON.stringify(json)).not.toContain('scrypt');
  });
});

describe('selfOf', () => {
  const context = (id: string) =>
    createRequestContext({ tenantId: TENANT, principal: { id, type: 'user', roles: ['client'] } });

  it('takes the client id from the token subject', () => {
    const clientId = randomUUID();
    expect(selfOf(context(clientId))).toEqual({ tenantId: TENANT, actorId: clientId, clientId });
  });

  it('refuses a subject that is not a canonical UUID (403)', () => {
    expect(() => selfOf(context(USER.toUpperCase()))).toThrow(
      expect.objectContaining({ status: 403, code: 'PRINCIPAL_INVALID' }),
    );
  });
});
