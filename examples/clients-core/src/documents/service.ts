import { createHash, randomUUID } from 'node:crypto';
import { pipeline, type Readable, Transform } from 'node:stream';
import type { AuditWriter } from '@plinth/audit';
import type { EnvelopeCipher } from '@plinth/crypto/kms';
import { isAppError } from '@plinth/errors';
import type { RawBody } from '@plinth/http-adapters';
import type { Logger } from '@plinth/logging';
import { decodeCursor, encodeCursor } from '../clients/cursor.js';
import { ClientErrors } from '../clients/errors.js';
import type { Caller } from '../http/tenant.js';
import { DocumentErrors } from './errors.js';
import type { DocumentRecord, DocumentRepository, NewDocument } from './repository.js';
import type { ListDocumentsQuery } from './schemas.js';
import { type DocumentStore, objectKeyOf } from './storage.js';

/** An upload that reached S3 and still needs its row (see {@link DocumentService.record}). */
export interface StoredUpload {
  readonly document: NewDocument;
}

/** One page of documents. */
export interface DocumentPage {
  readonly items: DocumentRecord[];
  readonly nextCursor: string | null;
}

/** A document's decrypted bytes, with its metadata. */
export interface OpenedDocument {
  readonly document: DocumentRecord;
  /** Plaintext; fails (never ends) if the stored blob was tampered with or truncated. */
  readonly content: Readable;
}

/**
 * Client documents: bytes envelope-encrypted on the way to S3, metadata in
 * PostgreSQL. An upload is stored first and recorded after, so a database
 * transaction is never held open while bytes arrive; `record` runs in the
 * route's transaction with its audit event, and `discard` undoes the upload
 * when that transaction fails.
 */
export interface DocumentService {
  /** Streams an upload to S3 (404 for a client not in the tenant). Nothing is stored if the body fails. */
  store(caller: Caller, clientId: string, name: string, body: RawBody): Promise<StoredUpload>;
  /**
   * Inserts the row and the audit event (in the route's transaction); 404
   * `CLIENT_NOT_FOUND` when the client was deleted while the bytes were uploading.
   */
  record(upload: StoredUpload): Promise<DocumentRecord>;
  /** Deletes the object of an upload whose row was not stored. Never throws. */
  discard(upload: StoredUpload): Promise<void>;
  list(caller: Caller, clientId: string, query: ListDocumentsQuery): Promise<DocumentPage>;
  /** Decrypting stream of a document's bytes; the read is audited. */
  open(caller: Caller, documentId: string): Promise<OpenedDocument>;
  /** 409 `RETENTION_ACTIVE` before `retainUntil`; else deletes the object and the row (route's transaction). */
  remove(caller: Caller, documentId: string): Promise<void>;
}

/** Options of {@link createDocumentService}. */
export interface DocumentServiceOptions {
  repository: DocumentRepository;
  store: DocumentStore;
  envelope: EnvelopeCipher;
  audit: AuditWriter;
  logger: Logger;
  retentionDays: number;
}

const DAY_MS = 86_400_000;
const resource = (id: string) => ({ type: 'document', id });

/** The envelope's encryption context: the blob only decrypts for this tenant, client and document. */
const contextOf = (d: Pick<DocumentRecord, 'tenantId' | 'clientId' | 'id'>) => ({
  tenant: d.tenantId,
  client: d.clientId,
  document: d.id,
});

/** Counts and hashes the plaintext as it streams past. */
function meter() {
  const hash = createHash('sha256');
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  return { stream, result: () => ({ size, sha256: hash.digest('hex') }) };
}

/**
 * @example
 * ```ts
 * const documents = createDocumentService({ repository, store, envelope, audit, logger, retentionDays: 30 });
 * ```
 */
export function createDocumentService(options: DocumentServiceOptions): DocumentService {
  const { repository, store, envelope, audit, logger, retentionDays } = options;

  return {
    async store(caller, clientId, name, body) {
      if (!(await repository.clientExists(caller.tenantId, clientId)))
        throw new ClientErrors.CLIENT_NOT_FOUND();
      const id = randomUUID();
      const objectKey = objectKeyOf(caller.tenantId, id);
      const retainUntil = new Date(Date.now() + retentionDays * DAY_MS);
      const measured = meter();
      const encryptor = envelope.encryptStream(contextOf({ ...caller, clientId, id }));
      // Settles once every stream of the chain is done; its error is the first one
      // (413 past the limit, a disconnect, KMS), the cause to report.
      let encrypted!: Readable;
      const chain = new Promise<Error | null | undefined>((resolve) => {
        encrypted = pipeline(body.stream, measured.stream, encryptor, resolve);
      });
      let stored: Awaited<ReturnType<DocumentStore['put']>>;
      try {
        stored = await store.put(objectKey, encrypted, retainUntil);
      } catch (err) {
        encrypted.destroy();
        const cause = await chain;
        throw isAppError(cause) ? cause : err;
      }
      const { size, sha256 } = measured.result();
      return {
        document: {
          id,
          tenantId: caller.tenantId,
          clientId,
          name,
          contentType: body.mediaType,
          size,
          sha256,
          objectKey,
          objectVersionId: stored.versionId ?? null,
          retainUntil,
        },
      };
    },

    async record({ document }) {
      const created = await repository.insert(document);
      await audit.record({
        action: 'document.uploaded',
        outcome: 'success',
        resource: resource(created.id),
        metadata: {
          clientId: created.clientId,
          contentType: created.contentType,
          size: created.size,
          sha256: created.sha256,
        },
      });
      return created;
    },

    async discard({ document }) {
      try {
        await store.remove(document.objectKey, document.objectVersionId, true);
      } catch (err) {
        // The object is orphaned (no row points to it): worth an operator's attention.
        logger.error(
          { err, objectKey: document.objectKey },
          'could not delete an unrecorded upload',
        );
      }
    },

    async list(caller, clientId, query) {
      if (!(await repository.clientExists(caller.tenantId, clientId)))
        throw new ClientErrors.CLIENT_NOT_FOUND();
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
      const rows = await repository.listByClient(caller.tenantId, clientId, query.limit + 1, after);
      const items = rows.slice(0, query.limit);
      const last = items.at(-1);
      await Promise.all(
        items.map((d) =>
          audit.record({ action: 'document.listed', outcome: 'success', resource: resource(d.id) }),
        ),
      );
      return { items, nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
    },

    async open(caller, documentId) {
      const document = await repository.findById(caller.tenantId, documentId);
      if (!document) throw new DocumentErrors.DOCUMENT_NOT_FOUND();
      const blob = await store.get(document.objectKey, document.objectVersionId);
      const content = pipeline(blob, envelope.decryptStream(contextOf(document)), () => {});
      await audit.record({
        action: 'document.read',
        outcome: 'success',
        resource: resource(document.id),
        metadata: { clientId: document.clientId },
      });
      return { document, content };
    },

    async remove(caller, documentId) {
      const document = await repository.findForUpdate(caller.tenantId, documentId);
      if (!document) throw new DocumentErrors.DOCUMENT_NOT_FOUND();
      if (document.retainUntil.getTime() > Date.now())
        throw new DocumentErrors.RETENTION_ACTIVE(undefined, {
          details: { retainUntil: document.retainUntil.toISOString() },
        });
      await repository.delete(caller.tenantId, documentId);
      await audit.record({
        action: 'document.deleted',
        outcome: 'success',
        resource: resource(documentId),
        metadata: { clientId: document.clientId },
      });
      // Last, still inside the transaction: if S3 refuses, the row and the audit event roll back.
      await store.remove(document.objectKey, document.objectVersionId);
    },
  };
}
