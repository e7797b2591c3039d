import { z } from 'zod';
import { uuid } from '../uuid.js';

/** Roles a staff account can hold (end clients authenticate elsewhere). */
export const STAFF_ROLES = ['admin', 'staff', 'viewer'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Longest password accepted, in characters (scrypt cost is bounded by @plinth/crypto too). */
const PASSWORD_MAX = 256;

const email = z.email().max(254);

/**
 * Password policy: 12 to 256 characters, not only spaces (NIST SP 800-63B:
 * length over composition rules).
 */
const newPassword = z
  .string()
  .min(12, 'must be at least 12 characters')
  .max(PASSWORD_MAX)
  .refine((p) => p.trim().length > 0, 'must not be only spaces');

/** Body of `POST /v1/users`. */
export const createUserBody = z.strictObject({
  email,
  password: newPassword,
  roles: z
    .array(z.enum(STAFF_ROLES))
    .min(1)
    .max(STAFF_ROLES.length)
    .refine((roles) => new Set(roles).size === roles.length, 'must not repeat a role'),
});

/**
 * Body of `POST /v1/auth/login`. The password is only bounded: policy applies
 * when it is set. The tenant id is lower-cased here, before the throttle keys
 * its counters by it: another spelling of the same tenant must not start a
 * fresh count.
 */
export const loginBody = z.strictObject({
  tenantId: uuid(),
  email,
  password: z.string().min(1).max(PASSWORD_MAX),
});

/**
 * A refresh token as sent: only bounded. Anything this service did not issue
 * (an access token, a random string) is simply not found: 401, like a revoked one.
 */
const refreshToken = z.string().min(1).max(1024);

/** Body of `POST /v1/auth/refresh` and `POST /v1/auth/logout`. */
export const refreshBody = z.strictObject({ refreshToken });

/** A staff account as the API shows it: never the hash. */
export const userJson = z.object({
  id: z.uuid(),
  email: z.string(),
  roles: z.array(z.enum(STAFF_ROLES)),
  createdAt: z.iso.datetime(),
});

/** What login and refresh return. */
export const tokensJson = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int().positive(),
});

export type CreateUserInput = z.output<typeof createUserBody>;
export type LoginInput = z.output<typeof loginBody>;
export type UserJson = z.output<typeof userJson>;
export type TokensJson = z.output<typeof tokensJson>;
