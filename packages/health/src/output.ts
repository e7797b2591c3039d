import { isAppError, scrubText } from '@plinth/errors';
import { NETWORK_ERROR_PHRASES } from '@plinth/internal';

/** Thrown internally when a check passes its deadline. */
export class CheckTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
    this.name = 'CheckTimeoutError';
  }
}

// Error codes → fixed, secret-free phrases: socket/DNS codes, TLS codes, and
// PostgreSQL SQLSTATEs (the server message can quote user or database names).
const PHRASES: Readonly<Record<string, string>> = {
  ...NETWORK_ERROR_PHRASES,
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
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
/** Causes and aggregated errors followed at most this deep: loops and 20,000-deep chains end here. */
const MAX_DEPTH = 8;

/** A property of anything, or undefined when reading it throws (getters, revoked Proxies). */
function field(err: unknown, key: string): unknown {
  try {
    return (err as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
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

function describe(err: unknown, depth: number): string | undefined {
  if (typeof err !== 'object' || err === null || depth > MAX_DEPTH) return undefined;
  if (err instanceof CheckTimeoutError) return err.message;
  // Only a 5xx its author exposed is the author's report; a 4xx message is
  // addressed to whoever called the dependency and can quote their token.
  if (isAppError(err) && err.expose && err.status >= 500) return sanitizeOutput(err.message);
  const code = field(err, 'code');
  const errors = field(err, 'errors');
  // AggregateError from happy-eyeballs connects: report the first cause.
  if (Array.isArray(errors) && errors.length > 0 && code === undefined) {
    return describe(errors[0], depth + 1);
  }
  if (typeof code === 'string' && Object.hasOwn(PHRASES, code)) return PHRASES[code];
  const name = field(err, 'name');
  const metadata = field(err, '$metadata');
  if (typeof name === 'string' && metadata !== undefined) {
    const phrase = awsPhrase(name.slice(0, 64), field(metadata, 'httpStatusCode'));
    if (phrase) return phrase;
    if (SAFE_NAME.test(name)) return `request failed (${name})`;
  }
  if (name === 'AbortError') return 'aborted';
  if (typeof code === 'string' && SAFE_CODE.test(code)) return `check failed (${code})`;
  return describe(field(err, 'cause'), depth + 1);
}

/**
 * Maps any thrown value to a short client-safe phrase, and never throws: only
 * fixed phrases and identifier-shaped codes/names are used, except the
 * scrubbed message of a 5xx `AppError` its author marked `expose: true`. The
 * cause chain is followed a bounded number of steps; a value that cannot be
 * read (revoked Proxy, throwing getter) is `check failed`.
 */
export function describeFailure(err: unknown): string {
  try {
    return describe(err, 0) ?? 'check failed';
  } catch {
    return 'check failed';
  }
}

const MAX_OUTPUT = 200;
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]+/g;
// A URL names internal hosts even without credentials. Linear: a match may
// only start where the previous character cannot belong to a scheme.
const URL_LIKE = /(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*:\/\/\S*/gi;

/**
 * Last line of defence for text that reaches a probe body: `scrubText` from
 * `@plinth/errors` (cut to 200 characters first, then credentials redacted in
 * linear time), then control characters and whole URLs removed.
 */
export function sanitizeOutput(text: string): string {
  const cut = text.length > MAX_OUTPUT;
  const clean = scrubText(text, { maxLength: cut ? MAX_OUTPUT - 1 : MAX_OUTPUT })
    .replace(CONTROL, ' ')
    .replace(URL_LIKE, '[url]')
    .trim();
  return cut ? `${clean}…` : clean;
}
