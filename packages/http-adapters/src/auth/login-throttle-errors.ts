import { RateLimitError, UnauthorizedError, ValidationError } from '@plinth/errors';
import type { LoginLockScope } from './login-throttle-audit.js';

/** Code of the 401 for a wrong account or password (one answer for both). */
export const LOGIN_FAILED = 'AUTH_LOGIN_FAILED';
/** Code of the 429 while an account + address, or an address, is locked out. */
export const LOGIN_LOCKED = 'AUTH_LOGIN_LOCKED';

/**
 * The one 401 for an unknown account and a wrong password alike. `audited`
 * tells the core's denial audit that `auth.login.failed` already recorded it.
 */
export const loginFailed = (audited: boolean): UnauthorizedError =>
  new UnauthorizedError('Invalid credentials', {
    code: LOGIN_FAILED,
    context: { reason: 'credentials', audited },
  });

/** 429 with `Retry-After`; which limit was hit stays in the log. */
export const loginLocked = (retryAfterSeconds: number, scope: LoginLockScope): RateLimitError =>
  new RateLimitError('Too many failed login attempts; try again later', {
    code: LOGIN_LOCKED,
    retryAfterSeconds,
    context: { reason: scope },
  });

/** 400 for an account identifier the throttle cannot count (the route's schema should catch it first). */
export const loginIdentityInvalid = (path: string, message: string): ValidationError =>
  new ValidationError('The login identity is not valid', {
    code: 'AUTH_LOGIN_IDENTITY_INVALID',
    errors: [{ path, message, code: 'invalid' }],
  });
