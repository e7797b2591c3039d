import { AppError } from '@plinth/errors';
import { problemResponse } from './problem.js';

/** The part of a `net.Socket` the handler touches. */
export interface SocketLike {
  readonly writable: boolean;
  readonly destroyed: boolean;
  end(data: string): unknown;
  destroy(): unknown;
}

const STATUS: Readonly<Record<string, [number, string]>> = {
  HPE_HEADER_OVERFLOW: [431, 'HEADERS_TOO_LARGE'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'REQUEST_TIMEOUT'],
};

/**
 * Answer a request Node's HTTP parser refused (a header with CR/LF, an
 * oversized header block, a timeout) with a problem+json body and close the
 * connection, instead of Node's bare 400 or Fastify's own JSON. Wire it as
 * `server.on('clientError', clientErrorHandler)` (Express) or
 * `Fastify({ clientErrorHandler })`.
 *
 * @example
 * ```ts
 * import { clientErrorHandler } from '@plinth/http-adapters';
 *
 * app.listen(3000).on('clientError', clientErrorHandler);
 * ```
 */
export function clientErrorHandler(err: { code?: string } | undefined, socket: SocketLike): void {
  if (err?.code === 'ECONNRESET' || socket.destroyed) return;
  if (!socket.writable) return void socket.destroy();
  const [status, code] = STATUS[err?.code ?? ''] ?? [400, 'BAD_REQUEST'];
  const problem = problemResponse(
    new AppError('The request could not be parsed', { status, code }),
    undefined,
    undefined,
  );
  const headers = Object.entries({
    ...problem.headers,
    'x-content-type-options': 'nosniff',
    connection: 'close',
  })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(
    `HTTP/1.1 ${status} ${status === 400 ? 'Bad Request' : 'Error'}\r\n${headers}\r\n${problem.body}`,
  );
}
