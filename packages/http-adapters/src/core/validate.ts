import { fromZodError, ValidationError, type ValidationIssue } from '@plinth/errors';
import type { RouteSchema } from './route.js';

/** Raw request parts before validation. */
export interface RawParts {
  params: Record<string, string>;
  query: Record<string, string | string[]>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

const PARTS = ['params', 'query', 'headers', 'body'] as const;

/**
 * Validate each part that has a schema and return the parsed values; every
 * failing part's issues are collected into one 400 `ValidationError` whose
 * paths are prefixed with the part (`body.email`, `query.limit`).
 */
export function validateParts(schema: RouteSchema | undefined, raw: RawParts): RawParts {
  if (!schema) return raw;
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
    for (const issue of fromZodError(result.error).errors) {
      errors.push({ ...issue, path: issue.path ? `${part}.${issue.path}` : part });
    }
  }
  if (errors.length > 0) throw new ValidationError(undefined, { errors: errors.slice(0, 100) });
  return out;
}

/** Query parameters of a request target: one value → string, repeated → array. */
export function parseQuery(url: string): Record<string, string | string[]> {
  const q = url.indexOf('?');
  const out: Record<string, string | string[]> = Object.create(null);
  if (q === -1) return out;
  for (const [key, value] of new URLSearchParams(url.slice(q + 1))) {
    const prev = out[key];
    if (prev === undefined) out[key] = value;
    else if (Array.isArray(prev)) prev.push(value);
    else out[key] = [prev, value];
  }
  return out;
}
