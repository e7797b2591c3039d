import { isRequestLike, isResponseLike, serializeRequest, serializeResponse } from './http.js';
import type { Redaction } from './redact.js';

type Fields = Record<string, unknown>;

/** Keys pino or the logger's base writes on every line; a caller's copy would be a second one. */
export const BASE_KEYS = ['level', 'time', 'msg', 'pid', 'hostname', 'service', 'version', 'env'];
/** Keys the context mixin writes. */
export const CONTEXT_KEYS = [
  'correlationId',
  'requestId',
  'tenantId',
  'userId',
  'operation',
  'trace_id',
  'span_id',
  'trace_flags',
];
/** Where a caller's value for a reserved or context key goes. */
export const CALLER_FIELDS = 'callerFields';
/** Where a child binding for a reserved or context key goes. */
export const CALLER_BINDINGS = 'callerBindings';

function setKey(out: Fields, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(out, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else out[key] = value;
}

function asFields(clean: unknown): Fields {
  return typeof clean === 'object' && clean !== null && !Array.isArray(clean)
    ? (clean as Fields)
    : { value: clean };
}

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

/**
 * Move every key of `clean` that is in `guarded` (and, for context keys,
 * already set in `into`) under `nestKey`, so no key is written twice and
 * the logger's own values win.
 */
function mergeGuarded(
  clean: Fields,
  into: Fields | undefined,
  reserved: ReadonlySet<string>,
  nestKey: string,
): Fields {
  if (into === undefined) {
    let clash = false;
    for (const key of reserved)
      if (clean[key] !== undefined && Object.hasOwn(clean, key)) clash = true;
    if (!clash) return clean;
  }
  const out = into ?? {};
  let nested: Fields | undefined;
  for (const key in clean) {
    if (!Object.hasOwn(clean, key)) continue;
    const value = clean[key];
    if (reserved.has(key) || (into !== undefined && CONTEXT.has(key) && out[key] !== undefined)) {
      if (value !== undefined && value !== out[key]) {
        nested ??= {};
        setKey(nested, key, value);
      }
    } else setKey(out, key, value);
  }
  if (nested !== undefined) out[nestKey] = nested;
  return out;
}

const CONTEXT = new Set(CONTEXT_KEYS);

/**
 * The `formatters.log` of the logger: the caller's fields, redacted by the
 * engine, merged with the context fields. Context values win; a caller's
 * copy of a context or reserved key goes under `callerFields`.
 */
export function createLineFormatter(
  redaction: Redaction,
  mixin: (() => Fields | undefined) | undefined,
  reservedKeys: readonly string[],
): (fields: object) => Fields {
  const reserved = new Set(reservedKeys);
  return (fields) => {
    try {
      const clean = asFields(redaction.value(withHttp(fields as Fields, redaction.isSensitive)));
      return mergeGuarded(clean, mixin?.(), reserved, CALLER_FIELDS);
    } catch {
      // Only a hostile top-level object (a Proxy whose traps throw) gets here.
      return { value: '[Unserializable]' };
    }
  };
}

/** Redact child bindings; reserved and context keys move under `callerBindings`. */
export function createBindingsRedactor(redaction: Redaction, reservedKeys: readonly string[]) {
  const guarded = new Set([...reservedKeys, ...CONTEXT_KEYS]);
  return (bindings: object): Fields =>
    mergeGuarded(asFields(redaction.value(bindings)), undefined, guarded, CALLER_BINDINGS);
}
