import { isAppError, REDACTED } from '@plinth/errors';
import type { Walk } from './redact.js';

/** The shape an Error takes in a log line. */
export interface SerializedError {
  type: string;
  message: string;
  code?: unknown;
  errorId?: unknown;
  fingerprint?: string;
  severity?: unknown;
  status?: unknown;
  details?: unknown;
  context?: unknown;
  stack?: string;
  errors?: unknown[];
  cause?: unknown;
  [key: string]: unknown;
}

const SKIP = new Set(['name', 'message', 'stack', 'cause']);
/** AppError diagnostics go through `sanitize`, which also scrubs credentials found inside strings. */
const SANITIZED = new Set(['context', 'details']);

function read(obj: object, key: string): unknown {
  try {
    return (obj as Record<string, unknown>)[key];
  } catch {
    return '[Unreadable]';
  }
}

function typeOf(err: Error): string {
  const name = read(err, 'name');
  if (typeof name === 'string' && name.length > 0) return name;
  return err.constructor?.name || 'Error';
}

/**
 * Serialize an Error for a log line: `type`, `message`, every own enumerable
 * field (AppError `code`, `status`, `severity`, `errorId`, … — sensitive keys
 * redacted; AppError `context` and `details` through `@plinth/errors`
 * `sanitize`, which also scrubs credentials inside strings), `fingerprint` for AppErrors,
 * `stack` (message and stack with credentials found by shape — URL
 * userinfo, sensitive query parameters, JWTs, `Bearer …` — redacted), AggregateError members under `errors`, and the whole `cause` chain
 * (non-Error causes too). Cycles become `'[Circular]'`, chains deeper than the
 * walk's `maxDepth` `'[Truncated]'`.
 */
export function serializeError(
  err: Error,
  w: Walk,
  depth: number,
  ancestors: object[],
): SerializedError {
  const raw = read(err, 'message');
  const message = typeof raw === 'string' ? raw : String(raw ?? '');
  // Messages echo input: a connection URL with its password, a `Bearer …` value.
  const clean = w.sanitize(message) as string;
  const out: SerializedError = { type: typeOf(err), message: clean };
  ancestors.push(err);
  try {
    for (const key of Object.keys(err)) {
      if (SKIP.has(key)) continue;
      const value = read(err, key);
      if (w.isSensitive(key)) out[key] = REDACTED;
      else if (SANITIZED.has(key) && isAppError(err)) out[key] = w.sanitize(value);
      else out[key] = w.value(value, depth + 1, ancestors);
    }
    if (isAppError(err)) out.fingerprint = String(read(err, 'fingerprint'));
    const members = read(err, 'errors');
    if (Array.isArray(members) && !Object.hasOwn(out, 'errors')) {
      out.errors = w.value(members, depth + 1, ancestors) as unknown[];
    }
    const stack = read(err, 'stack');
    if (typeof stack === 'string') {
      const scrubbed =
        clean === message || message === '' ? stack : stack.split(message).join(clean);
      out.stack = w.sanitize(scrubbed) as string;
    }
    if ('cause' in err) {
      const cause = read(err, 'cause');
      if (cause !== undefined) out.cause = w.value(cause, depth + 1, ancestors);
    }
  } finally {
    ancestors.pop();
  }
  return out;
}
