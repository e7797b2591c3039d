import { hashPassword } from '@plinth/crypto';
import type { Database } from '@plinth/db-repository';
import { defineRoute, type RouteDefinition, reply } from '@plinth/http-adapters';
import { policies } from '../http/policies.js';
import { callerOf } from '../http/tenant.js';
import { AuthErrors } from './errors.js';
import { createUserBody, loginBody, refreshBody, type UserJson } from './schemas.js';
import type { AuthService, SessionTokens } from './service.js';
import type { User } from './users-repository.js';

/** A staff account as the API shows it: never the password hash. */
export const toUserJson = (u: User): UserJson => ({
  id: u.id,
  email: u.email,
  roles: [...u.roles],
  createdAt: u.createdAt.toISOString(),
});

/** Tokens are credentials: never stored by a cache (RFC 6749 §5.1). */
const tokenReply = (tokens: SessionTokens) =>
  reply(200, tokens, { 'cache-control': 'no-store', pragma: 'no-cache' });

/** No bearer token: the body carries the credential. */
const PUBLIC = { auth: 'none' } as const;

/**
 * Staff accounts and sessions: `POST /v1/users` (admin), login, refresh and
 * logout. Password hashing (scrypt, deliberately slow) happens before the
 * transaction opens, so no connection waits on it.
 *
 * @example
 * ```ts
 * const routes = authRoutes(createAuthService(options), db);
 * ```
 */
export function authRoutes(auth: AuthService, db: Database): RouteDefinition[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/v1/users',
      status: 201,
      schema: { body: createUserBody },
      policy: policies.admin,
      handler: async ({ body, context }) => {
        const caller = callerOf(context);
        const passwordHash = await hashPassword(body.password);
        const user = await db.transaction(() =>
          auth.createUser(caller, { email: body.email, roles: body.roles, passwordHash }),
        );
        return reply(201, toUserJson(user), { 'cache-control': 'no-store' });
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/auth/login',
      schema: { body: loginBody },
      policy: PUBLIC,
      handler: async ({ body }) => {
        const login = await auth.authenticate(body);
        return tokenReply(await db.transaction(() => auth.startSession(login)));
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/auth/refresh',
      schema: { body: refreshBody },
      policy: PUBLIC,
      handler: async ({ body }) => {
        // The refusal is decided and recorded (a reuse revokes the family) in the
        // transaction, which must commit before the 401 goes out.
        const outcome = await db.transaction(() => auth.refresh(body.refreshToken));
        if (!outcome.ok) throw new AuthErrors.REFRESH_TOKEN_INVALID();
        return tokenReply(outcome.tokens);
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/auth/logout',
      status: 204,
      schema: { body: refreshBody },
      policy: PUBLIC,
      handler: async ({ body }) => {
        await db.transaction(() => auth.logout(body.refreshToken));
        return reply(204);
      },
    }),
  ];
}
