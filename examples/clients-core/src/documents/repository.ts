import type { FieldCipher } from '@plinth/crypto';
import { type Database, sql } from '@plinth/db-repository';
import { isAppError } from '@plinth/errors';
import { z } from 'zod';
import type { ClientCursor } from '../clients/cursor.js';
import { ClientErrors } from '../clients/errors.js';

/** A document's metadata, name in clear. The bytes are in S3. */
export interface DocumentRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly name: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
  readonly objectKey: string;
  readonly objectVersionId: string | null;
  readonly createdAt: Date;
  readonly retainUntil: Date;
}

/** A stored upload to record. */
export type NewDocument = Omit<DocumentRecord, 'createdAt'>;

const row = z.object({
  id: z.string(),
  tenant_id: z.string(),
  client_id: z.string(),
  name: z.string(),
  content_type: z.string(),
  // bigint arrives as text from node-postgres.
  size: z.coerce.number().int().nonnegative(),
  sha256: z.string(),
  object_key: z.string(),
  object_version_id: z.string().nullable(),
  created_at: z.date(),
  retain_until: z.date(),
});
type Row = z.output<typeof row>;

const COLUMNS = sql`id, tenant_id, client_id, name, content_type, size, sha256, object_key,
  object_version_id, created_at, retain_until`;

/** SQL for the `documents` table; every statement is scoped by `tenant_id`. */
export interface DocumentRepository {
  /** Whether the client exists in the tenant (uploads and lists of another tenant's client are 404). */
  clientExists(tenantId: string, clientId: string): Promise<boolean>;
  /** 404 `CLIENT_NOT_FOUND` when the client is gone (deleted while the bytes were uploading). */
  insert(doc: NewDocument): Promise<DocumentRecord>;
  findById(tenantId: string, id: string): Promise<DocumentRecord | null>;
  /** The row, locked until the transaction ends (a delete decides on a stable row). */
  findForUpdate(tenantId: string, id: string): Promise<DocumentRecord | null>;
  /** Up to `limit` documents of a client after `after`, ordered by (createdAt, id). */
  listByClient(
    tenantId: string,
    clientId: string,
    limit: number,
    after?: ClientCursor,
  ): Promise<DocumentRecord[]>;
  delete(tenantId: string, id: string): Promise<boolean>;
}

/**
 * @example
 * ```ts
 * const documents = createDocumentRepository(deps.db, deps.fields);
 * ```
 */
export function createDocumentRepository(db: Database, fields: FieldCipher): DocumentRepository {
  const context = (tenantId: string, id: string) => ({
    tenant: tenantId,
    table: 'documents',
    column: 'name',
    row: id,
  });
  const toRecord = (r: Row): DocumentRecord => ({
    id: r.id,
    tenantId: r.tenant_id,
    clientId: r.client_id,
    name: fields.decrypt(r.name, context(r.tenant_id, r.id)),
    contentType: r.content_type,
    size: r.size,
    sha256: r.sha256,
    objectKey: r.object_key,
    objectVersionId: r.object_version_id,
    createdAt: r.created_at,
    retainUntil: r.retain_until,
  });
  const byId = (tenantId: string, id: string, lock: boolean) =>
    db.maybeOne(
      sql`SELECT ${COLUMNS} FROM documents WHERE tenant_id = ${tenantId} AND id = ${id}${
        lock ? sql` FOR UPDATE` : sql``
      }`,
      row,
    );

  return {
    async clientExists(tenantId, clientId) {
      const found = await db.maybeOne(
        sql`SELECT 1 AS one FROM clients WHERE tenant_id = ${tenantId} AND id = ${clientId}`,
      );
      return found !== null;
    },

    async insert(d) {
      try {
        const created = await db.one(
          sql`INSERT INTO documents (id, tenant_id, client_id, name, content_type, size, sha256,
                                     object_key, object_version_id, retain_until)
              VALUES (${d.id}, ${d.tenantId}, ${d.clientId}, ${fields.encrypt(d.name, context(d.tenantId, d.id))},
                      ${d.contentType}, ${d.size}, ${d.sha256}, ${d.objectKey}, ${d.objectVersionId},
                      ${d.retainUntil})
              RETURNING ${COLUMNS}`,
          row,
        );
        return toRecord(created);
      } catch (err) {
        // The client existed when the upload started and was deleted before its row was
        // written: the same answer as a client that never existed.
        if (isAppError(err) && err.code === 'FOREIGN_KEY_VIOLATION')
          throw new ClientErrors.CLIENT_NOT_FOUND();
        throw err;
      }
    },

    async findById(tenantId, id) {
      const found = await byId(tenantId, id, false);
      return found && toRecord(found);
    },

    async findForUpdate(tenantId, id) {
      const found = await byId(tenantId, id, true);
      return found && toRecord(found);
    },

    async listByClient(tenantId, clientId, limit, after) {
      const position = after
        ? sql` AND (created_at, id) > (${after.createdAt}, ${after.id}::uuid)`
        : sql``;
      const rows = await db.many(
        sql`SELECT ${COLUMNS} FROM documents
            WHERE tenant_id = ${tenantId} AND client_id = ${clientId}${position}
            ORDER BY created_at, id LIMIT ${limit}`,
        row,
      );
      return rows.map(toRecord);
    },

    async delete(tenantId, id) {
      const { rowCount } = await db.query(
        sql`DELETE FROM documents WHERE tenant_id = ${tenantId} AND id = ${id}`,
      );
      return rowCount > 0;
    },
  };
}
