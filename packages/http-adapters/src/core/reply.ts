const REPLY = Symbol.for('plinth.http-adapters.reply.v0');

/** A full response from a handler: status, extra headers and a JSON body. */
export interface Reply {
  readonly [REPLY]: true;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  /** The body is already-serialised text (an HTML page), sent as it is. */
  readonly text?: true;
}

/**
 * Answer with an explicit status and headers instead of the route's default.
 *
 * @example
 * ```ts
 * import { defineRoute, reply } from '@plinth/http-adapters';
 *
 * defineRoute({ method: 'POST', path: '/v1/things', handler: () =>
 *   reply(201, { id: 't1' }, { location: '/v1/things/t1' }) });
 * ```
 */
export function reply(status: number, body?: unknown, headers: Record<string, string> = {}): Reply {
  return { [REPLY]: true, status, headers: { ...headers }, body };
}

/**
 * Whether a handler's result is a {@link Reply} (branded, so two installed
 * copies of the package agree).
 *
 * @example
 * ```ts
 * import { isReply, reply } from '@plinth/http-adapters';
 *
 * isReply(reply(204)); // true
 * ```
 */
export function isReply(value: unknown): value is Reply {
  return typeof value === 'object' && value !== null && (value as Reply)[REPLY] === true;
}

/** A reply whose body is text sent as it is, with the given content type (internal: the docs page). */
export function textReply(status: number, text: string, headers: Record<string, string>): Reply {
  return { [REPLY]: true, status, headers: { ...headers }, body: text, text: true };
}
