// Type-level and runtime usage of @plinth/errors as a consumer writes it.
import { AppError, isAppError, NotFoundError, ValidationError } from '@plinth/errors';

const notFound = new NotFoundError('Client not found', { details: { id: 'c1' } });
const status: number = notFound.status;
const code: string = notFound.code;
const invalid = new ValidationError(undefined, {
  errors: [{ path: 'email', message: 'Invalid email', code: 'invalid_format' }],
});
export const smokeErrors = [
  status,
  code,
  invalid.errors.length,
  isAppError(notFound),
  notFound instanceof AppError,
];
