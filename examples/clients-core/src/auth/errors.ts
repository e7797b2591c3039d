import { defineErrors } from '@plinth/errors';

/** The product error codes of staff accounts, sessions and the end-client routes. */
export const AuthErrors = defineErrors({
  USER_EMAIL_EXISTS: {
    status: 409,
    title: 'Email already registered',
    message: 'A staff account with this email already exists in the tenant',
  },
  REFRESH_TOKEN_INVALID: {
    status: 401,
    title: 'Invalid refresh token',
    message: 'The refresh token is not valid; sign in again',
  },
  ME_NOT_FOUND: {
    status: 404,
    title: 'Client not found',
    message: 'No client record for this token',
  },
});
