import type { RequestContext } from './types.js';

/**
 * Brand set (non-enumerable) on every context `createRequestContext` builds,
 * by any installed copy of this package. `runWithContext` checks it on the hot
 * path — one monomorphic property load — instead of `Object.isFrozen` plus a
 * deep check (~4x slower) or a WeakSet lookup (~2x). The brand is only ever set
 * on a frozen, validated object.
 */
const BRAND = Symbol.for('plinth.context.frozen.v1');

type Branded = RequestContext & { readonly [BRAND]?: true };

/** Brand and freeze `ctx` (must not be frozen yet). */
export function seal(ctx: RequestContext): RequestContext {
  Object.defineProperty(ctx, BRAND, { value: true });
  return Object.freeze(ctx);
}

/** Whether `ctx` was built (validated and frozen) by `createRequestContext`. */
export function isSealed(ctx: RequestContext): boolean {
  return (ctx as Branded | null | undefined)?.[BRAND] === true;
}
