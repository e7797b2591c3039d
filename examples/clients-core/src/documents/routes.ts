import type { Database } from '@plinth/db-repository';
import { InternalError } from '@plinth/errors';
import { defineRoute, type RouteDefinition, reply, streamReply } from '@plinth/http-adapters';
import { AuthErrors } from '../auth/errors.js';
import { clientTiers, selfOf } from '../auth/tiers.js';
import { ClientErrors } from '../clients/errors.js';
import { forResource, policies } from '../http/policies.js';
import { callerOf } from '../http/tenant.js';
import { inTransaction } from '../http/transaction.js';
import type { DocumentRecord } from './repository.js';
import {
  clientDocumentsParams,
  DOCUMENT_MEDIA_TYPES,
  type DocumentJson,
  documentParams,
  listDocumentsQuery,
  MAX_DOCUMENT_BYTES,
  uploadQuery,
} from './schemas.js';
import type { DocumentService } from './service.js';

/** Exactly the document JSON of the contract: no object key, no version id. */
export const toDocumentJson = (d: DocumentRecord): DocumentJson => ({
  id: d.id,
  clientId: d.clientId,
  name: d.name,
  contentType: d.contentType,
  size: d.size,
  sha256: d.sha256,
  createdAt: d.createdAt.toISOString(),
  retainUntil: d.retainUntil.toISOString(),
});

/** RFC 6266 / 8187: the name percent-encoded as UTF-8, so the header is always plain ASCII. */
const attachment = (name: string) =>
  `attachment; filename*=UTF-8''${encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )}`;

/** Headers of a download: the stored type, exact length, integrity digest, never cached. */
export const contentHeaders = (d: DocumentRecord): Record<string, string> => ({
  'content-type': d.contentType,
  'content-length': String(d.size),
  'content-disposition': attachment(d.name),
  // RFC 9530: lets the client check the bytes it got are the bytes uploaded.
  'repr-digest': `sha-256=:${Buffer.from(d.sha256, 'hex').toString('base64')}:`,
  'cache-control': 'no-store',
});

/**
 * The document routes. The upload streams the request body through the
 * envelope cipher into S3 and only then opens the transaction that records
 * it (with its audit event), so no connection is held while bytes arrive;
 * if that transaction fails the object is deleted again.
 *
 * @example
 * ```ts
 * const routes = documentRoutes(createDocumentService(options), db);
 * ```
 */
export function documentRoutes(documents: DocumentService, db: Database): RouteDefinition[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/v1/clients/:id/documents',
      status: 201,
      body: 'stream',
      mediaTypes: DOCUMENT_MEDIA_TYPES,
      bodyLimit: MAX_DOCUMENT_BYTES,
      schema: { params: clientDocumentsParams, query: uploadQuery },
      // The file name is personal data (it is encrypted at rest): never in the access log.
      redactQuery: ['name'],
      policy: forResource(policies.write, 'client'),
      handler: async ({ params, query, rawBody, context }) => {
        const caller = callerOf(context);
        if (!rawBody) throw new InternalError('The upload route must declare body: stream');
        const upload = await documents.store(caller, params.id, query.name, rawBody);
        let document: DocumentRecord;
        try {
          document = await db.transaction(() => documents.record(upload));
        } catch (err) {
          await documents.discard(upload);
          throw err;
        }
        return reply(201, toDocumentJson(document), {
          location: `/v1/documents/${document.id}/content`,
          'cache-control': 'no-store',
        });
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/clients/:id/documents',
      schema: { params: clientDocumentsParams, query: listDocumentsQuery },
      policy: forResource(policies.read, 'client'),
      handler: async ({ params, query, context }) => {
        const page = await documents.list(callerOf(context), params.id, query);
        return reply(
          200,
          { items: page.items.map(toDocumentJson), nextCursor: page.nextCursor },
          { 'cache-control': 'no-store' },
        );
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/me/documents',
      schema: { query: listDocumentsQuery },
      policy: clientTiers.documents,
      handler: async ({ query, context }) => {
        const self = selfOf(context);
        const page = await documents.list(self, self.clientId, query).catch((err: unknown) => {
          // The client was deleted after the token was issued: not "a client", "me".
          throw err instanceof ClientErrors.CLIENT_NOT_FOUND ? new AuthErrors.ME_NOT_FOUND() : err;
        });
        return reply(
          200,
          { items: page.items.map(toDocumentJson), nextCursor: page.nextCursor },
          { 'cache-control': 'no-store' },
        );
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/documents/:docId/content',
      schema: { params: documentParams },
      policy: forResource(policies.read, 'document', 'docId'),
      handler: async ({ params, context }) => {
        const { document, content } = await documents.open(callerOf(context), params.docId);
        return streamReply(200, content, contentHeaders(document));
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/v1/documents/:docId',
      status: 204,
      schema: { params: documentParams },
      policy: forResource(policies.admin, 'document', 'docId'),
      handler: inTransaction(db, async ({ params, context }) => {
        await documents.remove(callerOf(context), params.docId);
        return reply(204);
      }),
    }),
  ];
}
