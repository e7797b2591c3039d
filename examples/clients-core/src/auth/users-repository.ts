import type { BlindIndex, FieldCipher } from '@plinth/crypto';
import { type Database, sql } from '@plinth/db-repository';
import { z } from 'zod';
import { STAFF_ROLES, type StaffRole } from './schemas.js';

/** A staff account, email in clear. The hash never leaves the auth feature. */
export interface User {
  readonly id: string;
  readonly tenantId: string;
  readonly email: string;
  readonly roles: readonly StaffRole[];
  readonly passwordHash: string;
  readonly createdAt: Date;
}

/** A new account; the password is already hashed. */
export interface NewUser {
  readonly id: string;
  readonly email: string;
  readonly roles: readonly StaffRole[];
  readonly passwordHash: string;
}

const row = z.object({
  id: z.string(),
  tenant_id: z.string(),
  email: z.string(),
  password_hash: z.string(),
  roles: z.array(z.enum(STAFF_ROLES)),
  created_at: z.date(),
});
type Row = z.output<typeof row>;

const COLUMNS = sql`id, tenant_id, email, password_hash, roles, created_at`;

/** SQL for the `users` table; every statement is scoped by `tenant_id`. */
export interface UserRepository {
  /** Inserts an account; `null` when the email already exists in the tenant. */
  insert(tenantId: string, user: NewUser): Promise<User | null>;
  findById(tenantId: string, id: string): Promise<User | null>;
  /** By the blind index of the email (every index version during a key rotation). */
  findByEmail(tenantId: string, email: string): Promise<User | null>;
  /** Replaces the hash (a rehash with current parameters after a successful login). */
  updatePasswordHash(tenantId: string, id: string, passwordHash: string): Promise<void>;
}

/**
 * @example
 * ```ts
 * const users = createUserRepository(db, fields, createBlindIndex({ key, scope: 'users.email' }));
 * ```
 */
export function createUserRepository(
  db: Database,
  fields: FieldCipher,
  emailIndex: BlindIndex,
): UserRepository {
  const context = (tenantId: string, id: string) => ({
    tenant: tenantId,
    table: 'users',
    column: 'email',
    row: id,
  });
  const toUser = (r: Row): User => ({
    id: r.id,
    tenantId: r.tenant_id,
    email: fields.decrypt(r.email, context(r.tenant_id, r.id)),
    roles: r.roles,
    passwordHash: r.password_hash,
    createdAt: r.created_at,
  });

  return {
    async insert(tenantId, u) {
      const found = await db.maybeOne(
        sql`INSERT INTO users (id, tenant_id, email, email_index, password_hash, roles)
            VALUES (${u.id}, ${tenantId}, ${fields.encrypt(u.email, context(tenantId, u.id))},
                    ${emailIndex.compute(u.email)}, ${u.passwordHash}, ${[...u.roles]}::text[])
            ON CONFLICT ON CONSTRAINT users_tenant_email_key DO NOTHING
            RETURNING ${COLUMNS}`,
        row,
      );
      return found && toUser(found);
    },

    async findById(tenantId, id) {
      const found = await db.maybeOne(
        sql`SELECT ${COLUMNS} FROM users WHERE tenant_id = ${tenantId} AND id = ${id}`,
        row,
      );
      return found && toUser(found);
    },

    async findByEmail(tenantId, email) {
      const found = await db.maybeOne(
        sql`SELECT ${COLUMNS} FROM users
            WHERE tenant_id = ${tenantId} AND email_index = ANY(${emailIndex.candidates(email)}::text[])
            LIMIT 1`,
        row,
      );
      return found && toUser(found);
    },

    async updatePasswordHash(tenantId, id, passwordHash) {
      await db.query(
        sql`UPDATE users SET password_hash = ${passwordHash}, updated_at = now()
            WHERE tenant_id = ${tenantId} AND id = ${id}`,
      );
    },
  };
}
