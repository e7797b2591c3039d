import { AppError, NotFoundError, ValidationError } from '@plinth/errors';

/** 404 for a path no route matches. */
export const routeNotFound = (): AppError =>
  new NotFoundError('No route matches this path', { code: 'ROUTE_NOT_FOUND' });

/** 405 for a known path with another method; `allow` becomes the `Allow` header. */
export const methodNotAllowed = (allow: readonly string[]): AppError =>
  new AppError('This method is not allowed on this path', {
    status: 405,
    code: 'METHOD_NOT_ALLOWED',
    details: { allow: [...allow] },
  });

/** 413 for a body over the route's limit (the limit is client-safe and useful). */
export const bodyTooLarge = (limit: number): AppError =>
  new AppError('The request body is too large', {
    status: 413,
    code: 'BODY_TOO_LARGE',
    details: { limitBytes: limit },
  });

/** 415 for a body whose media type the API does not read. */
export const unsupportedMediaType = (): AppError =>
  new AppError('Send the body as application/json (UTF-8)', {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  });

/** 415 for a stream route's body outside its media types (listed: they are the route's public contract). */
export const unsupportedMediaTypeOf = (mediaTypes: readonly string[]): AppError =>
  new AppError(`Send the body as one of: ${mediaTypes.join(', ')}`, {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    details: { accepted: [...mediaTypes] },
  });

/** 400 for a body that is not acceptable JSON; `reason` is a fixed phrase, never input. */
export const malformedJson = (reason: string): AppError =>
  new ValidationError('The request body is not valid JSON', {
    code: 'MALFORMED_JSON',
    errors: [{ path: '', message: reason, code: 'malformed_json' }],
  });

/** 400 for a URL that cannot be decoded. */
export const badUrl = (): AppError =>
  new AppError('The request URL cannot be decoded', { status: 400, code: 'BAD_URL' });
