import { z } from 'zod';
import { freeText } from '../free-text.js';
import { uuid } from '../uuid.js';

/** Media types a document may have; anything else is a 415 before a byte is stored. */
export const DOCUMENT_MEDIA_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'text/plain'];

/** Largest document: 10 MiB (a 413 past it, mid-stream for chunked uploads). */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

/** A file name as the uploader gave it: stored encrypted, returned as data, never used as a path. */
const documentName = freeText(255);

/** Query of `POST /v1/clients/:id/documents`. */
export const uploadQuery = z.object({ name: documentName });

/** `:id` of a client's documents. */
export const clientDocumentsParams = z.object({ id: uuid() });

/** `:docId` of a document route. */
export const documentParams = z.object({ docId: uuid() });

/** Query of the document lists. */
export const listDocumentsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(128).optional(),
});

/** A document as the API shows it (DESIGN §6). */
export const documentJson = z.object({
  id: z.uuid(),
  clientId: z.uuid(),
  name: z.string(),
  contentType: z.string(),
  size: z.number().int().nonnegative(),
  sha256: z.string(),
  createdAt: z.iso.datetime(),
  retainUntil: z.iso.datetime(),
});

export type ListDocumentsQuery = z.output<typeof listDocumentsQuery>;
export type DocumentJson = z.output<typeof documentJson>;
