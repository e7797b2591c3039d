import { AsyncLocalStorage } from 'node:async_hooks';
import { InternalError, invalidOptions } from '@plinth/errors';
import { buildContext, createRequestContext } from './create.js';
import { isSealed } from './trusted.js';
import type { ContextPatch, RequestContext, RequestContextInit } from './types.js';

const STORE_KEY = Symbol.for('plinth.context.v1');
type Global = { [STORE_KEY]?: AsyncLocalStorage<RequestContext> };

// One AsyncLocalStorage per process, shared by every copy of this package (ESM and CJS
// builds, duplicate installs), so a context set by one copy is visible to the others.
const g = globalThis as Global;
g[STORE_KEY] ??= new AsyncLocalStorage<RequestContext>();
const als = g[STORE_KEY];

/**
 * Run `fn` with `ctx` as the ambient context for every async hop it makes and
 * return its result. A framework hook enters a context for the rest of a
 * request by passing its continuation: `runWithContext(ctx, done)` (Fastify),
 * `runWithContext(ctx, next)` (Express). Contexts from `createRequestContext`
 * are used as they are; any other object is validated and frozen first.
 *
 * @example
 * ```ts
 * import { createRequestContext, getContext, runWithContext } from '@plinth/context';
 *
 * await runWithContext(createRequestContext({ tenantId: 't1' }), async () => {
 *   getContext()?.tenantId; // 't1'
 * });
 * ```
 */
export function runWithContext<T>(ctx: RequestContext, fn: () => T): T {
  return als.run(isSealed(ctx) ? ctx : adopt(ctx), fn);
}

/**
 * Make `ctx` the ambient context for the rest of the callback this is called
 * from and for every async hop started after it (AsyncLocalStorage
 * `enterWith`). The scope around it ends as it would have: the
 * `runWithContext` this runs inside restores its own outer context on return,
 * and a promise continuation or event callback ends with its own. Work
 * scheduled earlier keeps the context it saw.
 *
 * For a framework hook that learns the principal or the route in the middle
 * of a request and runs the rest of it in tail position: it costs half of a
 * nested `runWithContext` on Node 24 (one context frame instead of two).
 * Only where a context is current — it replaces a request's context, it never
 * starts one (`InternalError` `CONTEXT_MISSING` otherwise); to start one, use
 * `runWithContext`. Contexts from `createRequestContext` are used as they
 * are; any other object is validated and frozen first.
 *
 * @example
 * ```ts
 * import { deriveContext, enterContext, getContext, runWithContext } from '@plinth/context';
 *
 * runWithContext(ctx, () => {
 *   enterContext(deriveContext(getContext(), { tenantId: 't2' }));
 *   handle(); // sees tenant t2, and so does every await and timer it starts
 * }); // the outer context (none here) is back
 * ```
 */
export function enterContext(ctx: RequestContext): void {
  if (als.getStore() === undefined) {
    const message =
      'enterContext replaces the current request context and none is active; start one with runWithContext';
    throw new InternalError(message, { code: 'CONTEXT_MISSING' });
  }
  als.enterWith(isSealed(ctx) ? ctx : adopt(ctx));
}

function adopt(ctx: RequestContext): RequestContext {
  // A missing context here is a wiring bug; running with a fresh one would hide it.
  if (ctx === null || typeof ctx !== 'object') {
    throw invalidOptions('runWithContext', { path: 'ctx', message: 'must be a RequestContext' });
  }
  return createRequestContext(ctx);
}

/**
 * The ambient context, or `undefined` outside `runWithContext`.
 *
 * @example
 * ```ts
 * import { getContext } from '@plinth/context';
 *
 * const tenant = getContext()?.tenantId;
 * ```
 */
export function getContext(): RequestContext | undefined {
  return als.getStore();
}

/**
 * The ambient context; throws an `InternalError` (code `CONTEXT_MISSING`)
 * when called outside `runWithContext` — a wiring bug, not a client error.
 *
 * @example
 * ```ts
 * import { requireContext } from '@plinth/context';
 *
 * const { tenantId } = requireContext();
 * ```
 */
export function requireContext(): RequestContext {
  const ctx = als.getStore();
  if (ctx) return ctx;
  const message = 'No request context is active; wrap the entry point in runWithContext';
  throw new InternalError(message, { code: 'CONTEXT_MISSING' });
}

/**
 * A new frozen context: `parent` with `patch` applied. `requestId` and
 * `startedAt` are kept unless patched (`startedAt` never is); a patched
 * `correlationId` is recorded as `client`-sourced unless `correlationIdSource`
 * says otherwise. The parent's principal is reused as it is (already frozen),
 * so deriving costs no claims copy. `parent` is untouched.
 *
 * @example
 * ```ts
 * import { createRequestContext, deriveContext } from '@plinth/context';
 *
 * const child = deriveContext(createRequestContext(), { tenantId: 't2' });
 * ```
 */
export function deriveContext(
  parent: RequestContext | undefined,
  patch: ContextPatch,
): RequestContext {
  const built = isSealed(parent) ? parent : undefined;
  const startedAt = parent?.startedAt ?? Date.now();
  const correlationIdSource =
    patch.correlationId !== undefined
      ? (patch.correlationIdSource ?? 'client')
      : (parent?.correlationIdSource ?? 'generated');
  // A parent this package built was checked then: only what the patch changes is checked
  // again. Its fields are read one by one: spreading a frozen object costs several times more.
  const init: RequestContextInit = built
    ? {
        correlationId: built.correlationId,
        requestId: built.requestId,
        tenantId: built.tenantId,
        principal: built.principal,
        source: built.source,
        ip: built.ip,
        userAgent: built.userAgent,
        operation: built.operation,
        ...patch,
        startedAt,
        correlationIdSource,
      }
    : { ...parent, ...patch, startedAt, correlationIdSource };
  return buildContext(init, built);
}

/**
 * Run `fn` in a child context: the current one (or a fresh one) with `patch`
 * applied. The parent stays untouched and is restored when `fn` returns. A
 * framework hook uses it with its continuation to add what it learns later in
 * a request: the principal and tenant after authentication, or the route
 * template once routed (`withContext({ operation: 'GET /v1/clients/:id' }, next)`).
 *
 * @example
 * ```ts
 * import { withContext } from '@plinth/context';
 *
 * await withContext({ tenantId: 't2' }, () => migrateTenant());
 * ```
 */
export function withContext<T>(patch: ContextPatch, fn: () => T): T {
  return als.run(deriveContext(als.getStore(), patch), fn);
}
