import { isAppError } from '@plinth/errors';

/** Thrown internally when a check passes its deadline. */
export class CheckTimeoutError extends Error {
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
    this.name = 'CheckTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

const MAX_OUTPUT = 200;

// Node socket / DNS error codes → fixed, secret-free phrases.
const NETWORK_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNABORTED: 'connection aborted',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
};

// PostgreSQL SQLSTATE → phrase (the server message can quote user or database names).
const SQLSTATE: Readonly<Record<string, string>> = {
  '28P01': 'authentication failed',
  '28000': 'authentication failed',
  '3D000': 'database does not exist',
  '53300': 'too many connections',
  '57P01': 'server shutting down',
  '57P02': 'server shutting down',
  '57P03': 'server not accepting connections yet',
  '57014': 'query cancelled',
  '25006': 'server is read-only',
};

const SAFE_NAME = /^[A-Za-z][A-Za-z0-9_.-]{1,63}$/;
const SAFE_CODE = /^[A-Z0-9_]{2,40}$/;

function field(err: unknown, key: string): unknown {
  return typeof err === 'object' && err !== null
    ? (err as Record<string, unknown>)[key]
    : undefined;
}

function awsPhrase(name: string, httpStatus: unknown): string | undefined {
  if (/NotFound|NoSuch/.test(name) || httpStatus === 404) return 'not found';
  if (/AccessDenied|Forbidden|Unauthorized/.test(name) || httpStatus === 403) {
    return 'access denied';
  }
  if (/Credentials|InvalidClientTokenId|ExpiredToken|SignatureDoesNotMatch/.test(name)) {
    return 'credentials rejected';
  }
  return undefined;
}

/**
 * Maps any thrown value to a short client-safe phrase. Only fixed phrases and
 * identifier-shaped error codes/names are ever used: raw messages can carry
 * connection strings, hostnames, user names or SQL, so they are never copied,
 * except the message of an AppError its author marked `expose: true`.
 *
 * @example
 * ```ts
 * import { describeFailure } from '@plinth/health';
 *
 * describeFailure(Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' }));
 * // → 'connection refused'
 * ```
 */
export function describeFailure(err: unknown): string {
  if (err instanceof CheckTimeoutError) return err.message;
  if (isAppError(err) && err.expose) return sanitizeOutput(err.message);
  const errors = field(err, 'errors');
  // AggregateError from happy-eyeballs connects: report the first cause.
  if (Array.isArray(errors) && errors.length > 0 && field(err, 'code') === undefined) {
    return describeFailure(errors[0]);
  }
  const code = field(err, 'code');
  if (typeof code === 'string') {
    const phrase = NETWORK_CODES[code] ?? SQLSTATE[code];
    if (phrase) return phrase;
  }
  const name = field(err, 'name');
  const metadata = field(err, '$metadata');
  if (typeof name === 'string' && metadata !== undefined) {
    const phrase = awsPhrase(name, field(metadata, 'httpStatusCode'));
    if (phrase) return phrase;
    if (SAFE_NAME.test(name)) return `request failed (${name})`;
  }
  if (typeof name === 'string' && name === 'AbortError') return 'aborted';
  if (typeof code === 'string' && SAFE_CODE.test(code)) return `check failed (${code})`;
  const cause = field(err, 'cause');
  if (cause !== undefined && cause !== err) {
    const inner = describeFailure(cause);
    if (inner !== 'check failed') return inner;
  }
  return 'check failed';
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]+/g;
// scheme://anything-up-to-whitespace, and user:password@host fragments.
const URL_LIKE = /\b[a-z][a-z0-9+.-]*:\/\/\S*/gi;
const USERINFO = /\S+:\S+@\S+/g;

/**
 * Last line of defence for text that reaches a response: strips control
 * characters, anything URL-shaped (connection strings carry passwords) and
 * `user:pass@host` fragments, then caps the length.
 *
 * @example
 * ```ts
 * import { sanitizeOutput } from '@plinth/health';
 *
 * sanitizeOutput('lag high, see redis://:pw@cache:6379'); // → 'lag high, see [url]'
 * ```
 */
export function sanitizeOutput(text: string): string {
  const clean = text
    .replace(CONTROL, ' ')
    .replace(URL_LIKE, '[url]')
    .replace(USERINFO, '[redacted]')
    .trim();
  return clean.length > MAX_OUTPUT ? `${clean.slice(0, MAX_OUTPUT - 1)}…` : clean;
}
