import { AsyncLocalStorage } from 'node:async_hooks';
import { InternalError } from '@plinth/errors';
import { createRequestContext } from './create.js';
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
  let s = g[STORE_KEY];
  if (!s) {
    s = new AsyncLocalStorage<RequestContext>();
    g[STORE_KEY] = s;
  }
  return s;
}

const als = storage();

/**
 * Run `fn` with `ctx` as the ambient context for every async hop it makes.
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
  return als.run(Object.isFrozen(ctx) ? ctx : Object.freeze({ ...ctx }), fn);
}

/** The ambient context, or `undefined` outside `runWithContext`. */
export function getContext(): RequestContext | undefined {
  return als.getStore();
}

/**
 * The ambient context; throws an `InternalError` (code `CONTEXT_MISSING`)
 * when called outside `runWithContext` — a wiring bug, not a client error.
 */
export function requireContext(): RequestContext {
  const ctx = als.getStore();
  if (!ctx) {
    throw new InternalError('No request context is active; wrap the entry point in runWithContext', {
      code: 'CONTEXT_MISSING',
    });
  }
  return ctx;
}

/**
 * Run `fn` in a child context: the current one (or a fresh one) with `patch`
 * applied. The parent stays untouched.
 */
export function withContext<T>(patch: ContextPatch, fn: () => T): T {
  const parent = als.getStore();
  const child = createRequestContext({
    ...(parent ?? {}),
    principal: parent?.principal
      ? { ...parent.principal, claims: { ...parent.principal.claims } }
      : undefined,
    ...patch,
    startedAt: parent?.startedAt ?? Date.now(),
    correlationIdSource: patch.correlationId
      ? (patch.correlationIdSource ?? 'client')
      : (parent?.correlationIdSource ?? 'generated'),
  } as Parameters<typeof createRequestContext>[0]);
  return als.run(child, fn);
}
