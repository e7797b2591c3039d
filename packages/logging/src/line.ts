import { isSecretLike, REDACTED } from '@plinth/errors';
import { setOwn } from '@plinth/internal';
import { isRequestLike, isResponseLike, serializeRequest, serializeResponse } from './http.js';
import type { Redaction } from './redact.js';

/** Words separated by whitespace, as an array (long lists stay readable). */
const list = (words: string) => words.trim().split(/\s+/);

type Fields = Record<string, unknown>;

/** Keys pino or the logger's base writes on every line; a caller's copy would be a second one. */
export const BASE_KEYS = ['level', 'time', 'msg', 'pid', 'hostname', 'service', 'version', 'env'];
/** Keys the context mixin writes. */
export const CONTEXT_KEYS = list(
  'correlationId requestId tenantId userId operation trace_id span_id trace_flags',
);
/** Where a caller's value for a reserved or context key goes. */
export const CALLER_FIELDS = 'callerFields';
/** Where a child binding for a reserved or context key goes. */
export const CALLER_BINDINGS = 'callerBindings';

/** Requests and responses logged as `req` / `res` go through their serializers first. */
function withHttp(fields: Fields, isSensitive: Redaction['isSensitive']): Fields {
  const { req, res } = fields;
  const serialReq = isRequestLike(req) && Object.getPrototypeOf(req) !== Object.prototype;
  const serialRes = isResponseLike(res);
  if (!serialReq && !serialRes) return fields;
  const out = { ...fields };
  if (serialReq) out.req = serializeRequest(req, isSensitive);
  if (serialRes) out.res = serializeResponse(res);
  return out;
}

function read(obj: Fields, key: string): unknown {
  try {
    return obj[key];
  } catch {
    return '[Unreadable]';
  }
}

/**
 * The `formatters.log` of the logger, one pass over the caller's fields:
 * each value goes through the engine (so a field is written exactly as
 * `sanitize` shows it) straight into the context fields. Context values
 * win; a caller's copy of a context or reserved key goes under
 * `callerFields`.
 */
export function createLineFormatter(
  redaction: Redaction,
  mixin: (() => Fields | undefined) | undefined,
  reservedKeys: readonly string[],
  nestKey = CALLER_FIELDS,
): (fields: object) => Fields {
  const { value: redact, isSensitive } = redaction;
  const reserved = new Set(reservedKeys);
  const guarded = new Set([...reservedKeys, ...CONTEXT_KEYS]);
  return (fields) => {
    try {
      const source = withHttp(fields as Fields, isSensitive);
      const out: Fields = mixin?.() ?? {};
      if (isSecretLike(source)) {
        out.value = REDACTED;
        return out;
      }
      let nested: Fields | undefined;
      for (const key in source) {
        if (!Object.hasOwn(source, key)) continue;
        const item = read(source, key);
        const clean = isSensitive(key)
          ? item === undefined
            ? undefined
            : REDACTED
          : typeof item === 'number' || typeof item === 'boolean'
            ? item
            : redact(item);
        if (guarded.has(key) && (reserved.has(key) || out[key] !== undefined)) {
          if (clean !== undefined && clean !== out[key]) {
            nested ??= {};
            setOwn(nested, key, clean);
          }
        } else setOwn(out, key, clean);
      }
      if (nested !== undefined) out[nestKey] = nested;
      return out;
    } catch {
      // Only a hostile top-level object (a Proxy whose traps throw) gets here.
      return { value: '[Unserializable]' };
    }
  };
}

/** Redact child bindings; reserved and context keys move under `callerBindings`. */
export function createBindingsRedactor(redaction: Redaction, reservedKeys: readonly string[]) {
  return createLineFormatter(
    redaction,
    undefined,
    [...reservedKeys, ...CONTEXT_KEYS],
    CALLER_BINDINGS,
  );
}
