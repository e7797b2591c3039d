import type { IncomingMessage, ServerResponse } from 'node:http';
import { requireOptionsObject } from '@plinth/errors';
import { type Health, PEEK } from './health.js';
import { optionCheck } from './option-check.js';
import { HEALTH_CONTENT_TYPE } from './response.js';
import type { HealthResponse } from './types.js';

/** Options of {@link createHealthHandler}. */
export interface HealthHandlerOptions {
  /** Path answered with `health.live()` (also with a trailing `/`). Default `'/health/live'`. */
  livePath?: string;
  /** Path answered with `health.ready()` (also with a trailing `/`). Default `'/health/ready'`. */
  readyPath?: string;
}

/** `(req, res) => handled`: `true` when the request was a health probe and got its answer. */
export type HealthRequestHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

type Peek = () => HealthResponse | undefined;

const FALLBACK: HealthResponse = {
  httpStatus: 503,
  headers: { 'content-type': HEALTH_CONTENT_TYPE, 'cache-control': 'no-store' },
  body: { status: 'fail', output: 'health check error' },
};

/** Asks the client to close its keep-alive connection after this response. */
export function closeConnectionAfterResponse(res: ServerResponse): void {
  if (!res.headersSent) res.setHeader('connection', 'close');
}

/** `/health/ready/` → `/health/ready`; `/` stays. */
const withoutSlash = (path: string) => (path.length > 1 ? path.replace(/\/+$/, '') : path);

/**
 * A plain `node:http` request handler for the liveness and readiness routes.
 * Call it first for every request: it answers the probe paths, with or
 * without a trailing slash (GET, HEAD without a body, 405 otherwise) and,
 * while shutting down, adds `Connection: close` to every response, probe or not.
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
  const { livePath = '/health/live', readyPath = '/health/ready' } = requireOptionsObject(
    options,
    'createHealthHandler',
  );
  const { need, done } = optionCheck('createHealthHandler');
  need(typeof health?.ready === 'function', 'health', 'must be what createHealth() returned');
  for (const [path, value] of Object.entries({ livePath, readyPath })) {
    need(/^\/[^?#]*$/.test(value), path, 'must start with "/" and have no query');
  }
  done();
  const live = withoutSlash(livePath);
  const ready = withoutSlash(readyPath);
  // Cached results come without a promise, so a cached probe is answered synchronously.
  const peek = (health as { [PEEK]?: { live: Peek; ready: Peek } })[PEEK];
  // Cached probe results reuse their response object: serialise each one once.
  const wire = new WeakMap<
    HealthResponse,
    { json: string; head: Record<string, string | number> }
  >();

  function send(req: IncomingMessage, res: ServerResponse, response: HealthResponse): void {
    let out = wire.get(response);
    if (out === undefined) {
      const json = JSON.stringify(response.body);
      out = { json, head: { ...response.headers, 'content-length': Buffer.byteLength(json) } };
      wire.set(response, out);
    }
    res.writeHead(response.httpStatus, out.head);
    res.end(req.method === 'HEAD' ? undefined : out.json);
  }

  function answer(req: IncomingMessage, res: ServerResponse, isReady: boolean): void {
    const fallback = () => {
      if (!res.headersSent) send(req, res, FALLBACK);
    };
    try {
      const cached = isReady ? peek?.ready() : peek?.live();
      if (cached !== undefined) {
        send(req, res, cached);
        return;
      }
      (isReady ? health.ready() : health.live()).then((response) => {
        try {
          send(req, res, response);
        } catch {
          fallback(); // An unserialisable body must not hang the probe or reject unhandled.
        }
      }, fallback);
    } catch {
      fallback();
    }
  }

  return (req, res) => {
    if (health.shuttingDown) closeConnectionAfterResponse(res);
    const url = req.url ?? '';
    const q = url.indexOf('?');
    let path = q === -1 ? url : url.slice(0, q);
    if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
    if (path !== ready && path !== live) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'cache-control': 'no-store', 'content-length': 0 });
      res.end();
      return true;
    }
    answer(req, res, path === ready);
    return true;
  };
}
