import { malformedJson } from './request-errors.js';

/**
 * Deepest nesting of objects and arrays a body may have; deeper input is
 * refused before parsing.
 *
 * @example
 * ```ts
 * import { MAX_JSON_DEPTH, parseJsonBody } from '@plinth/http-adapters';
 *
 * parseJsonBody(text, MAX_JSON_DEPTH);
 * ```
 */
export const MAX_JSON_DEPTH = 64;

/** Depth of the deepest `{`/`[` outside strings, stopping as soon as `max` is passed. Linear. */
function tooDeep(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

/** Whether a parsed value carries `__proto__`, or `constructor.prototype`, at any depth (iterative). */
function hasPoisonKey(root: unknown): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    if (Object.hasOwn(node, '__proto__')) return true;
    const ctor = Object.hasOwn(node, 'constructor')
      ? (node as { constructor: unknown }).constructor
      : undefined;
    if (typeof ctor === 'object' && ctor !== null && Object.hasOwn(ctor, 'prototype')) return true;
    for (const value of Object.values(node)) if (typeof value === 'object') stack.push(value);
  }
  return false;
}

/**
 * Parse a request body as JSON, refusing (400 `MALFORMED_JSON`) text that is
 * not JSON, nests deeper than `maxDepth`, or carries `__proto__` /
 * `constructor.prototype` keys (which become prototype pollution when a
 * handler merges the body into another object). The error names the reason
 * with a fixed phrase, never the input.
 *
 * @example
 * ```ts
 * import { parseJsonBody } from '@plinth/http-adapters';
 *
 * parseJsonBody('{"name":"Ada"}'); // { name: 'Ada' }
 * ```
 */
export function parseJsonBody(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  if (tooDeep(text, maxDepth)) throw malformedJson(`nests deeper than ${maxDepth} levels`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw malformedJson('is not valid JSON');
  }
  if (
    (text.includes('proto') || text.includes('constructor') || text.includes('\\u')) &&
    hasPoisonKey(value)
  ) {
    throw malformedJson('has a __proto__ or constructor.prototype key');
  }
  return value;
}
