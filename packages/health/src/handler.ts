import type { IncomingMessage, ServerResponse } from 'node:http';
import { ValidationError } from '@plinth/errors';
import type { Health } from './health.js';
import { HEALTH_CONTENT_TYPE } from './response.js';
import type { HealthBody, HealthResponse } from './types.js';

/** Options of {@link createHealthHandler}. */
export interface HealthHandlerOptions {
  /** Path answered with `health.live()`. Default `'/health/live'`. */
  livePath?: string;
  /** Path answered with `health.ready()`. Default `'/health/ready'`. */
  readyPath?: string;
}

/** `(req, res) => handled`: `true` when the request was a health probe and got its answer. */
export type HealthRequestHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

const FALLBACK: HealthResponse = {
  httpStatus: 503,
  headers: { 'content-type': HEALTH_CONTENT_TYPE, 'cache-control': 'no-store' },
  body: { status: 'fail', output: 'health check error' },
};

/**
 * Asks the client to close its keep-alive connection after this response.
 * Used for every request that arrives while the service is shutting down so
 * clients stop reusing a connection that is about to go away.
 *
 * @example
 * ```ts
 * import { closeConnectionAfterResponse } from '@plinth/health';
 *
 * if (health.shuttingDown) closeConnectionAfterResponse(res);
 * ```
 */
export function closeConnectionAfterResponse(res: ServerResponse): void {
  if (!res.headersSent) res.setHeader('connection', 'close');
}

/**
 * A plain `node:http` request handler for the liveness and readiness routes.
 * Call it first for every request: it answers the probe paths (GET/HEAD, 405
 * otherwise) and, while shutting down, adds `Connection: close` to every
 * response, probe or not.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createHealth, createHealthHandler } from '@plinth/health';
 *
 * const probes = createHealthHandler(createHealth({ checks: {} }));
 * createServer((req, res) => {
 *   if (probes(req, res)) return;
 *   res.end('hello');
 * }).listen(3000);
 * ```
 */
export function createHealthHandler(
  health: Health,
  options: HealthHandlerOptions = {},
): HealthRequestHandler {
  if (
    typeof health !== 'object' ||
    health === null ||
    typeof health.live !== 'function' ||
    typeof health.ready !== 'function'
  ) {
    throw new ValidationError('createHealthHandler needs the object createHealth() returned');
  }
  const livePath = options.livePath ?? '/health/live';
  const readyPath = options.readyPath ?? '/health/ready';
  for (const [field, path] of [
    ['livePath', livePath],
    ['readyPath', readyPath],
  ] as const) {
    if (typeof path !== 'string' || !path.startsWith('/') || path.includes('?')) {
      throw new ValidationError(`createHealthHandler ${field} must be a path starting with "/"`, {
        errors: [
          { path: field, message: 'must start with "/" and have no query', code: 'invalid_path' },
        ],
      });
    }
  }
  // Cached probe results reuse their body object: serialise each one once.
  const serialised = new WeakMap<
    HealthBody,
    { json: string; headers: Record<string, string | number> }
  >();

  function send(req: IncomingMessage, res: ServerResponse, response: HealthResponse): void {
    let wire = serialised.get(response.body);
    if (wire === undefined) {
      const json = JSON.stringify(response.body);
      wire = { json, headers: { ...response.headers, 'content-length': Buffer.byteLength(json) } };
      serialised.set(response.body, wire);
    }
    res.writeHead(response.httpStatus, wire.headers);
    res.end(req.method === 'HEAD' ? undefined : wire.json);
  }

  return (req, res) => {
    if (health.shuttingDown) closeConnectionAfterResponse(res);
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const probe = path === readyPath ? health.ready : path === livePath ? health.live : undefined;
    if (probe === undefined) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'cache-control': 'no-store', 'content-length': 0 });
      res.end();
      return true;
    }
    const fallback = () => {
      if (!res.headersSent) send(req, res, FALLBACK);
    };
    probe().then((response) => {
      try {
        send(req, res, response);
      } catch {
        // An unserialisable body must not hang the probe or reject unhandled.
        fallback();
      }
    }, fallback);
    return true;
  };
}
