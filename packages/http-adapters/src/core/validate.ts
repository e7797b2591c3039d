import {
  fromZodError,
  ValidationError,
  type ValidationIssue,
  type ZodErrorLike,
} from '@plinth/errors';
import type { RouteSchema } from './route.js';

/** Raw request parts before validation. */
export interface RawParts {
  params: Record<string, string>;
  query: Record<string, string | string[]>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

const PARTS = ['params', 'query', 'headers'] as const;

/** A part's issues with their paths prefixed by the part (`body.email`, `query.limit`). */
function issuesOf(part: string, error: ZodErrorLike): ValidationIssue[] {
  return fromZodError(error).errors.map((issue) => ({
    ...issue,
    path: issue.path ? `${part}.${issue.path}` : part,
  }));
}

/**
 * Validate params, query and headers where the route has a schema for them and
 * return the parsed values (`body` is passed through: it is read and checked
 * later, by {@link withBody}); every failing part's issues are collected into
 * one 400 `ValidationError` whose paths are prefixed with the part (`query.limit`).
 */
export function validateParts(schema: RouteSchema | undefined, raw: RawParts): RawParts {
  if (!schema || (!schema.params && !schema.query && !schema.headers)) return raw;
  const out = { ...raw };
  const errors: ValidationIssue[] = [];
  for (const part of PARTS) {
    const s = schema[part];
    if (!s) continue;
    const result = s.safeParse(raw[part]);
    if (result.success) {
      (out as Record<string, unknown>)[part] = result.data;
      continue;
    }
    errors.push(...issuesOf(part, result.error));
  }
  if (errors.length > 0) throw new ValidationError(undefined, { errors: errors.slice(0, 100) });
  return out;
}

/**
 * `request` with its body, validated by the route's body schema when it has one
 * (400 `ValidationError`, paths prefixed `body.`); the same object when there is
 * no body and nothing to check.
 */
export function withBody<R extends { readonly body: unknown }>(
  schema: RouteSchema | undefined,
  request: R,
  body: unknown,
): R {
  const s = schema?.body;
  if (!s) return body === undefined ? request : { ...request, body };
  const result = s.safeParse(body);
  if (!result.success)
    throw new ValidationError(undefined, { errors: issuesOf('body', result.error).slice(0, 100) });
  return { ...request, body: result.data };
}

const PLUS = /\+/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the whole ASCII range is the point
const ASCII = /^[\x00-\x7f]*$/;

/** `+` is a space, then percent escapes as UTF-8; undefined when an escape does not decode. */
function decodeComponent(text: string): string | undefined {
  const spaced = text.includes('+') ? text.replace(PLUS, ' ') : text;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return undefined;
  }
}

/**
 * The name/value pairs of a query string (without its `?`), exactly as
 * `URLSearchParams` decodes them, without building one (about ten times
 * cheaper for the short queries of a typical request). The rare query this
 * shortcut cannot decode identically — non-ASCII text, an escape that is not
 * valid UTF-8, a lone `%` — goes to `URLSearchParams` itself.
 */
export function queryPairs(query: string): [string, string][] {
  if (!ASCII.test(query)) return [...new URLSearchParams(query)];
  const out: [string, string][] = [];
  // Like URLSearchParams, one leading `?` is not part of the first name.
  for (let start = query.charCodeAt(0) === 63 ? 1 : 0; start < query.length; ) {
    const amp = query.indexOf('&', start);
    const end = amp === -1 ? query.length : amp;
    if (end > start) {
      const eq = query.indexOf('=', start);
      const split = eq !== -1 && eq < end;
      const name = decodeComponent(query.slice(start, split ? eq : end));
      const value = split ? decodeComponent(query.slice(eq + 1, end)) : '';
      if (name === undefined || value === undefined) return [...new URLSearchParams(query)];
      out.push([name, value]);
    }
    start = end + 1;
  }
  return out;
}

/**
 * The object `parseQuery` fills: no inherited members at all (its prototype
 * is an empty, frozen object without a prototype, so `constructor`,
 * `toString` and `__proto__` are just names and no handler can plant a
 * member every later query would inherit), yet built by a constructor, so V8
 * keeps it in fast mode; `Object.create(null)` starts in dictionary mode, and
 * every read of it (by the schema, by the handler) costs more.
 */
function QueryValues(): void {}
QueryValues.prototype = Object.freeze(Object.create(null));
const newQueryValues = QueryValues as unknown as new () => Record<string, string | string[]>;

/**
 * One string per parameter name seen so far, at most `MAX_NAMES` names of at
 * most `MAX_NAME_LENGTH` characters (the first ones a process meets; a client
 * sending made-up names cannot grow it further).
 */
const NAMES = new Map<string, string>();
const MAX_NAMES = 512;
const MAX_NAME_LENGTH = 64;

/**
 * The first string seen with `name`'s text. The names of a query are new
 * strings cut from every request's URL, and an optimised `out[name]` that
 * has only seen `?name=` checks the key's identity against that one string:
 * a fresh copy fails the check, and V8 deoptimised and re-optimised
 * `parseQuery` about once every 700 requests (`--trace-deopt`). Handing it
 * the same string every time keeps it optimised; `Reflect.get`/`Reflect.set`
 * avoided the deopts too but cost about 0.35 µs a request on Node 24.
 */
function canonicalName(name: string): string {
  const known = NAMES.get(name);
  if (known !== undefined) return known;
  if (NAMES.size < MAX_NAMES && name.length <= MAX_NAME_LENGTH) NAMES.set(name, name);
  return name;
}

/** Query parameters of a request target: one value → string, repeated → array. */
export function parseQuery(url: string): Record<string, string | string[]> {
  const q = url.indexOf('?');
  const out = new newQueryValues();
  if (q === -1) return out;
  const pairs = queryPairs(url.slice(q + 1));
  for (let i = 0; i < pairs.length; i++) {
    const [name, value] = pairs[i] as [string, string];
    const key = canonicalName(name);
    const prev = out[key];
    if (prev === undefined) out[key] = value;
    else if (Array.isArray(prev)) prev.push(value);
    else out[key] = [prev, value];
  }
  return out;
}
