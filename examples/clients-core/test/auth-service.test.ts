import { randomUUID } from 'node:crypto';
import type { AuditEvent, AuditWriter } from '@plinth/audit';
import { createLoginThrottle } from '@plinth/http-adapters';
import { describe, expect, it } from 'vitest';
import type {
  NewRefreshToken,
  RefreshTokenRecord,
  RefreshTokenRepository,
} from '../src/auth/refresh-tokens-repository.js';
import { createAuthService } from '../src/auth/service.js';
import { createTokenIssuer, hashRefreshToken } from '../src/auth/tokens.js';
import type { User, UserRepository } from '../src/auth/users-repository.js';

const TENANT = 'abcdefab-cdef-4abc-8def-abcdefabcdef';
const DAY = 86_400_000;

/** An audit writer that keeps what it is given. */
function recordingAudit(): AuditWriter & { events: AuditEvent[] } {
  const events: AuditEvent[] = [];
  return {
    events,
    async record(event) {
      events.push(event);
    },
    flush: async () => undefined,
    close: async () => undefined,
  };
}

/** The refresh-token table in memory, with the database clock given by `now`. */
function memoryTokens(now: () => Date) {
  const rows = new Map<
    string,
    NewRefreshToken & { rotatedAt: Date | null; revokedAt: Date | null }
  >();
  const repo: RefreshTokenRepository & { revoked: string[] } = {
    revoked: [],
    async insert(token) {
      rows.set(token.tokenHash.toString('hex'), { ...token, rotatedAt: null, revokedAt: null });
    },
    async findForUpdate(tokenHash): Promise<RefreshTokenRecord | null> {
      const row = rows.get(tokenHash.toString('hex'));
      if (!row) return null;
      const { tokenHash: _hash, ...record } = row;
      return { ...record, now: now() };
    },
    async markRotated(id) {
      const row = [...rows.values()].find((r) => r.id === id);
      if (!row || row.rotatedAt || row.revokedAt) return false;
      row.rotatedAt = now();
      return true;
    },
    async revokeFamily(familyId) {
      let count = 0;
      for (const row of rows.values())
        if (row.familyId === familyId && row.revokedAt === null) {
          row.revokedAt = now();
          count++;
        }
      repo.revoked.push(familyId);
      return count;
    },
  };
  return { repo, rows };
}

function memoryUsers(users: User[]): UserRepository {
  return {
    insert: async () => null,
    findById: async (tenantId, id) =>
      users.find((u) => u.tenantId === tenantId && u.id === id) ?? null,
    findByEmail: async () => null,
    updatePasswordHash: async () => undefined,
  };
}

const staff = (): User => ({
  id: randomUUID(),
  tenantId: TENANT,
  email: 'ada@example.com',
  roles: ['staff'],
  passwordHash: '$scrypt$unused',
  createdAt: new Date(),
});

function setup(options: { users?: User[]; dbNow?: () => Date } = {}) {
  const dbNow = options.dbNow ?? (() => new Date());
  const tokens = memoryTokens(dbNow);
  const audit = recordingAudit();
  const service = createAuthService({
    users: memoryUsers(options.users ?? []),
    refreshTokens: tokens.repo,
    issuer: createTokenIssuer({
      secret: 'a-test-secret-of-at-least-32-bytes!!',
      issuer: 'clients',
      audience: 'clients-api',
      accessTtlMs: 60_000,
    }),
    throttle: createLoginThrottle({ logger: { warn() {}, error() {}, info() {} } }),
    audit,
    refreshTtlMs: 30 * DAY,
  });
  return { service, tokens, audit };
}

describe('createAuthService (session rules, repositories in memory)', () => {
  it('starts a session: one stored hash (never the token), expiring after the refresh lifetime', async () => {
    const user = staff();
    const { service, tokens, audit } = setup({ users: [user] });
    const before = Date.now();
    const session = await service.startSession({ user, rehash: undefined });
    expect(session.expiresIn).toBe(60);
    const [row] = [...tokens.rows.values()];
    expect(tokens.rows.size).toBe(1);
    expect(row?.tokenHash.equals(hashRefreshToken(session.refreshToken))).toBe(true);
    expect(JSON.stringify([...tokens.rows.values()])).not.toContain(session.refreshToken);
    const lifetime = (row?.expiresAt.getTime() ?? 0) - before;
    expect(lifetime).toBeGreaterThanOrEqual(30 * DAY);
    expect(lifetime).toBeLessThan(30 * DAY + 60_000);
    expect(audit.events).toEqual([
      expect.objectContaining({
        action: 'auth.login.succeeded',
        tenantId: TENANT,
        actor: { id: user.id, type: 'staff' },
        metadata: { family: row?.familyId },
      }),
    ]);
  });

  it('judges expiry on the database clock, not the local one', async () => {
    const user = staff();
    // The database clock is a month ahead of this process: the token has expired there.
    const { service, audit } = setup({
      users: [user],
      dbNow: () => new Date(Date.now() + 31 * DAY),
    });
    const session = await service.startSession({ user, rehash: undefined });
    expect(await service.refresh(session.refreshToken)).toEqual({ ok: false, reason: 'expired' });
    expect(audit.events.at(-1)).toMatchObject({
      action: 'auth.refresh.rejected',
      outcome: 'failure',
      metadata: { reason: 'expired' },
    });
  });

  it('refuses a token whose account is gone and revokes its family', async () => {
    const user = staff();
    const users = [user];
    const { service, tokens, audit } = setup({ users });
    const session = await service.startSession({ user, rehash: undefined });
    users.length = 0;
    expect(await service.refresh(session.refreshToken)).toEqual({ ok: false, reason: 'user_gone' });
    const [row] = [...tokens.rows.values()];
    expect(row?.revokedAt).toBeInstanceOf(Date);
    expect(audit.events.at(-1)).toMatchObject({
      action: 'auth.refresh.rejected',
      metadata: { reason: 'user_gone', revoked: 1, family: row?.familyId },
    });
  });

  it('answers unknown without an audit event (nothing to attribute it to)', async () => {
    const { service, audit } = setup();
    expect(await service.refresh('never-issued')).toEqual({ ok: false, reason: 'unknown' });
    await service.logout('never-issued');
    expect(audit.events).toEqual([]);
  });

  it('rotates within the family, keeping its expiry', async () => {
    const user = staff();
    const { service, tokens } = setup({ users: [user] });
    const session = await service.startSession({ user, rehash: undefined });
    const outcome = await service.refresh(session.refreshToken);
    expect(outcome.ok).toBe(true);
    const rows = [...tokens.rows.values()];
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r) => r.familyId)).size).toBe(1);
    expect(rows[1]?.expiresAt.getTime()).toBe(rows[0]?.expiresAt.getTime());
    expect(rows[0]?.rotatedAt).toBeInstanceOf(Date);
    expect(rows[1]?.rotatedAt).toBeNull();
  });
});
