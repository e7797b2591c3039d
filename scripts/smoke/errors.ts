// Type-level and runtime usage of @plinth/errors as a consumer writes it.
import {
  AppError,
  defineErrors,
  fromZodError,
  isAppError,
  NotFoundError,
  PROBLEM_CONTENT_TYPE,
  sanitize,
  toAppError,
  toProblemDetails,
  ValidationError,
} from '@plinth/errors';

const notFound = new NotFoundError('Client not found', { details: { id: 'c1' } });
const status: number = notFound.status;
const invalid = new ValidationError(undefined, {
  errors: [{ path: 'email', message: 'Invalid email', code: 'invalid_format' }],
});
const Errors = defineErrors({
  CLIENT_ARCHIVED: { status: 409, title: 'Client archived', message: 'The client is archived' },
});
const archived = new Errors.CLIENT_ARCHIVED();
const archivedCode: 'CLIENT_ARCHIVED' = archived.code;
const problem = toProblemDetails(toAppError(new Error('boom')), { correlationId: 'c-1' });
const clean = sanitize({ password: 'x', nested: { token: 'y' } });
const fromZod = fromZodError({
  issues: [{ path: ['a'], message: 'Required', code: 'invalid_type' }],
});
export const smokeErrors = [
  status,
  invalid.errors.length,
  isAppError(notFound),
  notFound instanceof AppError,
  archivedCode,
  problem.status,
  PROBLEM_CONTENT_TYPE,
  clean,
  fromZod.errors.length,
];
