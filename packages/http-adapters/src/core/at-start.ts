import type { RequestContext } from '@plinth/context';
import type { PreHandler, StartIdentity, StartRequest } from './options.js';
import { NO_POLICY, type RouteDefinition } from './route.js';
import { type RawRequestLike, withRepeatedAuthorization } from './start.js';

/** A request's context with what was settled at its start, and how many pre-handlers that skips. */
export interface StartSettled {
  readonly context: RequestContext;
  readonly count: number;
}

/**
 * The start of a request for the leading pre-handlers that offer `atStart`
 * (ADR 0114), or undefined when the first pre-handler offers none. The
 * returned function asks them in order for `route` until one cannot answer,
 * and returns the context `build` makes with the identity they named and how
 * many of them that settles. A throwing `atStart`, or an identity `build`
 * refuses (a principal the context will not take), settles nothing: those
 * pre-handlers then run and answer for the request themselves.
 */
export function createStartSettler(preHandlers: readonly PreHandler[]) {
  const leading: NonNullable<PreHandler['atStart']>[] = [];
  for (const p of preHandlers) {
    if (typeof p.atStart !== 'function') break;
    leading.push(p.atStart);
  }
  if (leading.length === 0) return undefined;
  return (
    route: RouteDefinition,
    req: RawRequestLike,
    build: (identity: StartIdentity | undefined) => RequestContext,
  ): StartSettled => {
    const start: StartRequest = {
      headers: withRepeatedAuthorization(req),
      url: req.url ?? '/',
      policy: route.policy ?? NO_POLICY,
    };
    let identity: StartIdentity | undefined;
    let count = 0;
    for (const atStart of leading) {
      let found: StartIdentity | undefined;
      try {
        found = atStart(start);
      } catch {
        break;
      }
      if (!found) break;
      identity = identity ? { context: { ...identity.context, ...found.context } } : found;
      count++;
    }
    if (identity) {
      try {
        return { context: build(identity), count };
      } catch {
        // Refused: fall through to a context without it.
      }
    }
    return { context: build(undefined), count: 0 };
  };
}
