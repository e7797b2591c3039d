import { ForbiddenError, ServiceUnavailableError, UnauthorizedError } from '@plinth/errors';

/** Why a token was refused: logged and audited, never sent to the client. */
export type TokenRefusal =
  | 'missing'
  | 'scheme'
  | 'multiple_headers'
  | 'query_token'
  | 'too_large'
  | 'malformed'
  | 'header'
  | 'crit'
  | 'alg'
  | 'unknown_issuer'
  | 'unknown_kid'
  | 'signature'
  | 'expired'
  | 'not_yet_valid'
  | 'iat_future'
  | 'claims'
  | 'claim_type'
  | 'tenant_missing';

/** Code of a 401 sent when no credentials came with the request (plain `Bearer` challenge). */
export const TOKEN_MISSING = 'AUTH_TOKEN_MISSING';
/** Code of every other 401 from bearer authentication (`error="invalid_token"`). */
export const TOKEN_INVALID = 'AUTH_TOKEN_INVALID';

/** One 401 for every refusal: the client learns nothing about which check failed. */
export function tokenRefused(reason: TokenRefusal): UnauthorizedError {
  const missing = reason === 'missing';
  return new UnauthorizedError(missing ? 'Authentication required' : 'Invalid credentials', {
    code: missing ? TOKEN_MISSING : TOKEN_INVALID,
    context: { reason },
  });
}

/** 403 from a guard; the unmet requirement stays internal. */
export function accessDenied(reason: 'role' | 'scope' | 'tier'): ForbiddenError {
  return new ForbiddenError('Access denied', { code: 'AUTH_FORBIDDEN', context: { reason } });
}

/** 503 while an issuer's key set cannot be fetched: the token may be fine. */
export function keysUnavailable(): ServiceUnavailableError {
  return new ServiceUnavailableError('The identity provider keys are unavailable', {
    code: 'AUTH_KEYS_UNAVAILABLE',
    retryAfterSeconds: 5,
  });
}
