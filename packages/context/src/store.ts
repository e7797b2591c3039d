import { AsyncLocalStorage } from 'node:async_hooks';
import { InternalError } from '@plinth/errors';
import { createRequestContext } from './create.js';
import { isSealed } from './trusted.js';
import type { ContextPatch, RequestContext } from './types.js';

const STORE_KEY = Symbol.for('plinth.context.v1');
type Global = { [STORE_KEY]?: AsyncLocalStorage<RequestContext> };

/**
 * One AsyncLocalStorage per process, shared by every copy of this package
 * (ESM and CJS builds, duplicate installs), so a context set by one copy is
 * visible to the others.
 */
function storage(): AsyncLocalStorage<RequestContext> {
  const g = globalThis as Global;
  g[STORE_KEY] ??= new AsyncLocalStorage<RequestContext>();
  return g[STORE_KEY];
}

const als = storage();

/**
 * Run `fn` with `ctx` as the ambient context for every async hop it makes.
 * Contexts from `createRequestContext` are used as they are; any other object
 * is validated and frozen into a new context first (so the ambient context is
 * always immutable), which throws a `ValidationError` on bad input.
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

function adopt(ctx: RequestContext): RequestContext {
  if (ctx === null || typeof ctx !== 'object') {
    throw new InternalError('runWithContext needs a RequestContext object', {
      code: 'CONTEXT_INVALID',
    });
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
  if (!ctx) {
    throw new InternalError(
      'No request context is active; wrap the entry point in runWithContext',
      {
        code: 'CONTEXT_MISSING',
      },
    );
  }
  return ctx;
}

/**
 * A new frozen context: `parent` with `patch` applied. `requestId` and
 * `startedAt` are kept unless patched (`startedAt` never is); a patched
 * `correlationId` is validated and recorded as `client`-sourced unless
 * `correlationIdSource` says otherwise. `parent` is untouched.
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
  const { principal, ...rest } = parent ?? {};
  return createRequestContext({
    ...rest,
    principal: principal ? { ...principal, claims: { ...principal.claims } } : undefined,
    ...patch,
    startedAt: parent?.startedAt ?? Date.now(),
    correlationIdSource:
      patch.correlationId !== undefined
        ? (patch.correlationIdSource ?? 'client')
        : (parent?.correlationIdSource ?? 'generated'),
  });
}

/**
 * Run `fn` in a child context: the current one (or a fresh one) with `patch`
 * applied. The parent stays untouched and is restored when `fn` returns.
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

/** @internal The shared store, for `bindContext`. */
export function contextStorage(): AsyncLocalStorage<RequestContext> {
  return als;
}
