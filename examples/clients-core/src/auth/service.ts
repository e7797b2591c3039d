import { randomUUID } from 'node:crypto';
import type { AuditWriter } from '@plinth/audit';
import { hashPassword, needsRehash, randomToken, verifyPassword } from '@plinth/crypto';
import type { LoginThrottle } from '@plinth/http-adapters';
import type { Caller } from '../http/tenant.js';
import { AuthErrors } from './errors.js';
import type { RefreshTokenRepository } from './refresh-tokens-repository.js';
import type { LoginInput, StaffRole } from './schemas.js';
import { hashRefreshToken, newRefreshToken, type TokenIssuer } from './tokens.js';
import type { User, UserRepository } from './users-repository.js';

/** Tokens of a session, as login and refresh return them. */
export interface SessionTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Seconds until the access token expires. */
  readonly expiresIn: number;
}

/** A verified login, ready to become a session. */
export interface Authenticated {
  readonly user: User;
  /** A new hash of the password when the stored one uses outdated parameters. */
  readonly rehash: string | undefined;
}

/** Why a refresh token was refused (the client is told only "invalid"). */
export type RefreshRefusal = 'unknown' | 'revoked' | 'expired' | 'reused' | 'user_gone';

/** What a refresh gives: new tokens, or a refusal to answer with 401 once the transaction committed. */
export type RefreshOutcome =
  | { readonly ok: true; readonly tokens: SessionTokens }
  | { readonly ok: false; readonly reason: RefreshRefusal };

/**
 * Staff accounts and sessions. Methods that write run inside the route's
 * transaction (the audit event commits with the change); the slow parts
 * (scrypt) run before it, holding no connection.
 */
export interface AuthService {
  /** Creates an account with an already-hashed password; 409 for an email the tenant has. */
  createUser(
    caller: Caller,
    input: { email: string; roles: readonly StaffRole[]; passwordHash: string },
  ): Promise<User>;
  /**
   * Checks the credentials through the failed-login throttle: 401 for a wrong
   * email or password alike, 429 while locked out. No transaction needed.
   */
  authenticate(input: LoginInput): Promise<Authenticated>;
  /** Starts a refresh-token family for a verified login and signs the access token. */
  startSession(login: Authenticated): Promise<SessionTokens>;
  /** Rotates a refresh token; a rotated one presented again revokes its whole family. */
  refresh(refreshToken: string): Promise<RefreshOutcome>;
  /** Revokes the token's family; unknown tokens are ignored (logout is idempotent). */
  logout(refreshToken: string): Promise<void>;
}

/** Options of {@link createAuthService}. */
export interface AuthServiceOptions {
  users: UserRepository;
  refreshTokens: RefreshTokenRepository;
  issuer: TokenIssuer;
  throttle: LoginThrottle;
  audit: AuditWriter;
  /** Lifetime of a refresh-token family in ms; rotation keeps the family's expiry. */
  refreshTtlMs: number;
}

const userResource = (id: string) => ({ type: 'user', id });
const staffActor = (user: Pick<User, 'id'>) => ({ id: user.id, type: 'staff' });

/**
 * A hash of a random password with the current parameters: verified when the
 * account does not exist, so an unknown email costs the same scrypt work as
 * a wrong password (the throttle answers both alike, ADR 0106).
 */
let dummyHash: Promise<string> | undefined;
const dummyPasswordHash = () => {
  dummyHash ??= hashPassword(randomToken(24));
  return dummyHash;
};

/**
 * @example
 * ```ts
 * const auth = createAuthService({ users, refreshTokens, issuer, throttle, audit: deps.audit.writer, refreshTtlMs });
 * const login = await auth.authenticate({ tenantId, email, password });
 * const tokens = await db.transaction(() => auth.startSession(login));
 * ```
 */
export function createAuthService(options: AuthServiceOptions): AuthService {
  const { users, refreshTokens, issuer, throttle, audit, refreshTtlMs } = options;

  const tokensFor = async (user: User, refreshToken: string): Promise<SessionTokens> => {
    const access = await issuer.accessToken({
      userId: user.id,
      tenantId: user.tenantId,
      roles: user.roles,
    });
    return {
      accessToken: access.token,
      refreshToken,
      expiresIn: access.expiresIn,
    };
  };

  const storeToken = async (user: User, familyId: string, expiresAt: Date) => {
    const token = newRefreshToken();
    await refreshTokens.insert({
      id: randomUUID(),
      tenantId: user.tenantId,
      userId: user.id,
      familyId,
      tokenHash: hashRefreshToken(token),
      expiresAt,
    });
    return token;
  };

  return {
    async createUser(caller, input) {
      const user = await users.insert(caller.tenantId, {
        id: randomUUID(),
        email: input.email,
        roles: input.roles,
        passwordHash: input.passwordHash,
      });
      if (!user) throw new AuthErrors.USER_EMAIL_EXISTS();
      await audit.record({
        action: 'user.created',
        outcome: 'success',
        resource: userResource(user.id),
        metadata: { roles: [...user.roles] },
      });
      return user;
    },

    async authenticate({ tenantId, email, password }) {
      const user = await throttle.attempt({ tenantId, account: email }, async () => {
        const found = await users.findByEmail(tenantId, email);
        const ok = await verifyPassword(
          password,
          found?.passwordHash ?? (await dummyPasswordHash()),
        );
        return ok && found;
      });
      const rehash = needsRehash(user.passwordHash) ? await hashPassword(password) : undefined;
      return { user, rehash };
    },

    async startSession({ user, rehash }) {
      if (rehash !== undefined) await users.updatePasswordHash(user.tenantId, user.id, rehash);
      const familyId = randomUUID();
      const token = await storeToken(user, familyId, new Date(Date.now() + refreshTtlMs));
      await audit.record({
        action: 'auth.login.succeeded',
        outcome: 'success',
        tenantId: user.tenantId,
        actor: staffActor(user),
        resource: userResource(user.id),
        metadata: { family: familyId, ...(rehash ? { rehashed: true } : {}) },
      });
      return tokensFor(user, token);
    },

    async refresh(refreshToken) {
      const found = await refreshTokens.findForUpdate(hashRefreshToken(refreshToken));
      if (!found) return { ok: false, reason: 'unknown' };
      const refuse = async (reason: RefreshRefusal, revoked?: number) => {
        await audit.record({
          action: reason === 'reused' ? 'auth.refresh.reused' : 'auth.refresh.rejected',
          outcome: reason === 'reused' ? 'denied' : 'failure',
          tenantId: found.tenantId,
          actor: staffActor({ id: found.userId }),
          resource: userResource(found.userId),
          metadata: { reason, family: found.familyId, ...(revoked ? { revoked } : {}) },
        });
        return { ok: false, reason } as const;
      };
      if (found.revokedAt !== null) return refuse('revoked');
      if (found.rotatedAt !== null) {
        // Someone holds a token that was already exchanged: the thief or the owner,
        // there is no telling which, so every token of the family stops working.
        return refuse('reused', await refreshTokens.revokeFamily(found.familyId));
      }
      if (found.expiresAt.getTime() <= found.now.getTime()) return refuse('expired');
      const user = await users.findById(found.tenantId, found.userId);
      if (!user) return refuse('user_gone', await refreshTokens.revokeFamily(found.familyId));
      await refreshTokens.markRotated(found.id);
      const next = await storeToken(user, found.familyId, found.expiresAt);
      await audit.record({
        action: 'auth.refresh.succeeded',
        outcome: 'success',
        tenantId: user.tenantId,
        actor: staffActor(user),
        resource: userResource(user.id),
        metadata: { family: found.familyId },
      });
      return { ok: true, tokens: await tokensFor(user, next) };
    },

    async logout(refreshToken) {
      const found = await refreshTokens.findForUpdate(hashRefreshToken(refreshToken));
      if (!found) return;
      const revoked = await refreshTokens.revokeFamily(found.familyId);
      await audit.record({
        action: 'auth.logout',
        outcome: 'success',
        tenantId: found.tenantId,
        actor: staffActor({ id: found.userId }),
        resource: userResource(found.userId),
        metadata: { family: found.familyId, revoked },
      });
    },
  };
}
