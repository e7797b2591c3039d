import { defineErrors } from '@plinth/errors';

/** The product error codes of client documents. */
export const DocumentErrors = defineErrors({
  DOCUMENT_NOT_FOUND: {
    status: 404,
    title: 'Document not found',
    message: 'No document with this id',
  },
  RETENTION_ACTIVE: {
    status: 409,
    title: 'Retention active',
    message: 'The document is under retention and cannot be deleted yet',
  },
});
