import type { BlindIndex, FieldCipher } from '@plinth/crypto';
import { type Database, sql } from '@plinth/db-repository';
import { isAppError } from '@plinth/errors';
import { z } from 'zod';
import type { ClientCursor } from './cursor.js';
import { ClientErrors } from './errors.js';

/** A client as the domain sees it: personal data in clear. */
export interface Client {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly email: string;
  readonly phone: string | null;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** New client fields. */
export interface NewClient {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly phone: string | null;
}

/** Fields to change; `phone: null` clears it. */
export interface ClientChanges {
  readonly name?: string | undefined;
  readonly email?: string | undefined;
  readonly phone?: string | null | undefined;
}

/** Which stored versions a conditional write accepts; `undefined` accepts any. */
export type VersionCondition = readonly number[] | undefined;

const row = z.object({
  id: z.string(),
  tenant_id: z.string(),
  name: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  version: z.number().int(),
  created_at: z.date(),
  updated_at: z.date(),
});
type Row = z.output<typeof row>;

const COLUMNS = sql`id, tenant_id, name, email, phone, version, created_at, updated_at`;
const TABLE = 'clients';
type Column = 'name' | 'email' | 'phone';

/**
 * SQL for the `clients` table. Every statement is scoped by `tenant_id`;
 * personal data is encrypted here, on the way in, and decrypted on the way
 * out, with AAD binding each value to its tenant, table, column and row, so
 * a ciphertext copied to another row or tenant does not decrypt.
 */
export interface ClientRepository {
  /** Inserts a client; `null` when the email already exists in the tenant. */
  insert(tenantId: string, client: NewClient): Promise<Client | null>;
  findById(tenantId: string, id: string): Promise<Client | null>;
  /** By the blind index of the email (every index version during a key rotation). */
  findByEmail(tenantId: string, email: string): Promise<Client | null>;
  /** Up to `limit` clients after `after`, ordered by (createdAt, id). */
  list(tenantId: string, limit: number, after?: ClientCursor): Promise<Client[]>;
  /** Applies changes and bumps the version; `null` when no row matched the id and condition. */
  update(
    tenantId: string,
    id: string,
    changes: ClientChanges,
    condition: VersionCondition,
  ): Promise<Client | null>;
  /** Deletes; `false` when no row matched the id and condition. */
  delete(tenantId: string, id: string, condition: VersionCondition): Promise<boolean>;
  /** The stored version, or `null` when the client does not exist in the tenant. */
  versionOf(tenantId: string, id: string): Promise<number | null>;
}

const isCode = (err: unknown, code: string) => isAppError(err) && err.code === code;

/**
 * @example
 * ```ts
 * const clients = createClientRepository(deps.db, deps.fields, deps.emailIndex);
 * await clients.findById(tenantId, id);
 * ```
 */
export function createClientRepository(
  db: Database,
  fields: FieldCipher,
  emailIndex: BlindIndex,
): ClientRepository {
  const context = (tenantId: string, id: string, column: Column) => ({
    tenant: tenantId,
    table: TABLE,
    column,
    row: id,
  });
  const encrypt = (tenantId: string, id: string, column: Column, value: string) =>
    fields.encrypt(value, context(tenantId, id, column));
  const decrypt = (r: Row, column: Column, value: string) =>
    fields.decrypt(value, context(r.tenant_id, r.id, column));
  const toClient = (r: Row): Client => ({
    id: r.id,
    tenantId: r.tenant_id,
    name: decrypt(r, 'name', r.name),
    email: decrypt(r, 'email', r.email),
    phone: r.phone === null ? null : decrypt(r, 'phone', r.phone),
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
  const versionFilter = (condition: VersionCondition) =>
    condition === undefined ? sql`` : sql` AND version = ANY(${[...condition]}::int[])`;

  return {
    async insert(tenantId, c) {
      const found = await db.maybeOne(
        sql`INSERT INTO clients (id, tenant_id, name, email, email_index, phone)
            VALUES (${c.id}, ${tenantId}, ${encrypt(tenantId, c.id, 'name', c.name)},
                    ${encrypt(tenantId, c.id, 'email', c.email)}, ${emailIndex.compute(c.email)},
                    ${c.phone === null ? null : encrypt(tenantId, c.id, 'phone', c.phone)})
            ON CONFLICT ON CONSTRAINT clients_tenant_email_key DO NOTHING
            RETURNING ${COLUMNS}`,
        row,
      );
      return found && toClient(found);
    },

    async findById(tenantId, id) {
      const found = await db.maybeOne(
        sql`SELECT ${COLUMNS} FROM clients WHERE tenant_id = ${tenantId} AND id = ${id}`,
        row,
      );
      return found && toClient(found);
    },

    async findByEmail(tenantId, email) {
      const found = await db.maybeOne(
        sql`SELECT ${COLUMNS} FROM clients
            WHERE tenant_id = ${tenantId} AND email_index = ANY(${emailIndex.candidates(email)}::text[])
            LIMIT 1`,
        row,
      );
      return found && toClient(found);
    },

    async list(tenantId, limit, after) {
      const position = after
        ? sql` AND (created_at, id) > (${after.createdAt}, ${after.id}::uuid)`
        : sql``;
      const rows = await db.many(
        sql`SELECT ${COLUMNS} FROM clients WHERE tenant_id = ${tenantId}${position}
            ORDER BY created_at, id LIMIT ${limit}`,
        row,
      );
      return rows.map(toClient);
    },

    async update(tenantId, id, changes, condition) {
      const sets = [sql`version = version + 1`, sql`updated_at = now()`];
      if (changes.name !== undefined)
        sets.push(sql`name = ${encrypt(tenantId, id, 'name', changes.name)}`);
      if (changes.email !== undefined)
        sets.push(
          sql`email = ${encrypt(tenantId, id, 'email', changes.email)}`,
          sql`email_index = ${emailIndex.compute(changes.email)}`,
        );
      if (changes.phone !== undefined)
        sets.push(
          sql`phone = ${changes.phone === null ? null : encrypt(tenantId, id, 'phone', changes.phone)}`,
        );
      try {
        const found = await db.maybeOne(
          sql`UPDATE clients SET ${sql.join(sets)}
              WHERE tenant_id = ${tenantId} AND id = ${id}${versionFilter(condition)}
              RETURNING ${COLUMNS}`,
          row,
        );
        return found && toClient(found);
      } catch (err) {
        if (isCode(err, 'UNIQUE_VIOLATION')) throw new ClientErrors.CLIENT_EMAIL_EXISTS();
        throw err;
      }
    },

    async delete(tenantId, id, condition) {
      try {
        const { rowCount } = await db.query(
          sql`DELETE FROM clients WHERE tenant_id = ${tenantId} AND id = ${id}${versionFilter(condition)}`,
        );
        return rowCount > 0;
      } catch (err) {
        // Documents reference their client: they go first (and may be under retention).
        if (isCode(err, 'FOREIGN_KEY_VIOLATION')) throw new ClientErrors.CLIENT_HAS_DOCUMENTS();
        throw err;
      }
    },

    async versionOf(tenantId, id) {
      const found = await db.maybeOne(
        sql`SELECT version FROM clients WHERE tenant_id = ${tenantId} AND id = ${id}`,
        z.object({ version: z.number().int() }),
      );
      return found?.version ?? null;
    },
  };
}
