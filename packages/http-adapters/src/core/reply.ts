import type { Readable } from 'node:stream';
import { InternalError } from '@plinth/errors';

const REPLY = Symbol.for('plinth.http-adapters.reply.v1');

/** A full response from a handler: status, extra headers and a JSON body. */
export interface Reply {
  readonly [REPLY]: true;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  /** The body is already-serialised text (an HTML page), sent as it is. */
  readonly text?: true;
  /** The body is a byte stream sent as it is produced (see {@link streamReply}). */
  readonly stream?: true;
}

/**
 * A final response status (200–599): anything else is a bug in the handler,
 * answered as a 500 rather than sent to the client.
 */
function checkStatus(status: number): number {
  if (Number.isInteger(status) && status >= 200 && status <= 599) return status;
  throw new InternalError('A handler replied with an invalid HTTP status', {
    code: 'INVALID_REPLY_STATUS',
    context: { status: String(status).slice(0, 32) },
  });
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
  return { [REPLY]: true, status: checkStatus(status), headers: { ...headers }, body };
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

/**
 * Answer with a byte stream (a download) instead of JSON: `headers` should
 * carry `content-type`, and `content-length` when known. The core waits for
 * the first bytes: a stream that fails before producing any is answered as
 * problem+json like a thrown error; a failure after that cuts the connection
 * (the client sees a truncated body, never a complete-looking one). ADR 0109.
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 * import { defineRoute, streamReply } from '@plinth/http-adapters';
 *
 * defineRoute({ method: 'GET', path: '/v1/report', handler: () =>
 *   streamReply(200, createReadStream('report.pdf'), { 'content-type': 'application/pdf' }) });
 * ```
 */
export function streamReply(
  status: number,
  stream: Readable,
  headers: Record<string, string> = {},
): Reply {
  return {
    [REPLY]: true,
    status: checkStatus(status),
    headers: { ...headers },
    body: stream,
    stream: true,
  };
}

/** A reply whose body is text sent as it is, with the given content type (internal: the docs page). */
export function textReply(status: number, text: string, headers: Record<string, string>): Reply {
  return { [REPLY]: true, status, headers: { ...headers }, body: text, text: true };
}
