import { defineErrors } from '@plinth/errors';

/** The product error codes of the clients feature. */
export const ClientErrors = defineErrors({
  CLIENT_NOT_FOUND: {
    status: 404,
    title: 'Client not found',
    message: 'No client with this id',
  },
  CLIENT_EMAIL_EXISTS: {
    status: 409,
    title: 'Email already registered',
    message: 'A client with this email already exists',
  },
  CLIENT_HAS_DOCUMENTS: {
    status: 409,
    title: 'Client has documents',
    message: 'The client still has documents; delete them first',
  },
  PRECONDITION_FAILED: {
    status: 412,
    title: 'Precondition failed',
    message: 'The client has changed since it was read; fetch it again and retry with its ETag',
  },
  PRECONDITION_REQUIRED: {
    status: 428,
    title: 'Precondition required',
    message: 'Send If-Match with the ETag of the client you read',
  },
  INVALID_IF_MATCH: {
    status: 400,
    title: 'Invalid If-Match',
    message: 'If-Match must be an ETag such as "3", a list of them, or *',
  },
  INVALID_CURSOR: {
    status: 400,
    title: 'Invalid cursor',
    message: 'The cursor is not one this API returned; start again without it',
  },
});
