import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { runWithContext } from '@plinth/context';
import { invalidOptions } from '@plinth/errors';
import {
  createShutdown,
  type ServerLike,
  type Shutdown,
  type ShutdownOptions,
} from '@plinth/health';
import express, {
  type ErrorRequestHandler,
  type Express,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import { createHttpCore } from '../core/core.js';
import type { HttpCore } from '../core/core-types.js';
import type { HttpAdapterOptions } from '../core/options.js';
import { continueTrace } from '../core/otel.js';
import type { HttpResponse } from '../core/response.js';
import { securityHeaderSet } from '../core/security-headers.js';

/** What {@link createExpressAdapter} returns: mount `middleware` first and `finalHandlers` last. */
export interface ExpressAdapter {
  /** Security headers, context, CORS and the declared routes (strict, case-sensitive matching). */
  readonly middleware: Router;
  /** 404/405 for unmatched requests, then the problem+json error handler. */
  readonly finalHandlers: [RequestHandler, ErrorRequestHandler];
  readonly core: HttpCore;
}

function send(res: Response, r: HttpResponse): void {
  res.statusCode = r.status;
  for (const name in r.headers) res.setHeader(name, r.headers[name] as string);
  if (r.stream) sendStream(res, r.stream);
  else res.end(r.body);
}

/** A primed stream: a later failure (or the client leaving) destroys both ends, as on Fastify. */
function sendStream(res: Response, stream: Readable): void {
  pipeline(stream, res, (err) => {
    if (err) res.destroy();
  });
}

/**
 * The Express 5 translation of the core. Use {@link installPlinth} unless
 * your own routes must sit between the two halves.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { createExpressAdapter } from '@plinth/http-adapters/express';
 *
 * const app = express();
 * const plinth = createExpressAdapter({ routes });
 * app.use(plinth.middleware);
 * app.use(...plinth.finalHandlers);
 * ```
 */
export function createExpressAdapter(options: HttpAdapterOptions = {}): ExpressAdapter {
  const core = createHttpCore(options);
  const router = express.Router({ strict: true, caseSensitive: true });
  // helmet's headers, recorded once (ADR 0107), then the core; one router layer for both.
  const security = securityHeaderSet(options.hsts);
  const securityEntries = Object.entries(security.set);
  router.use((req, res, next) => {
    for (const [name, value] of securityEntries) res.setHeader(name, value);
    for (const name of security.remove) res.removeHeader(name);
    const state = core.begin(req, res, req.ip);
    if (state.preflight) return send(res, { status: 204, headers: {}, body: undefined });
    runWithContext(state.context, () => continueTrace(req.headers, next));
  });
  for (const route of core.routes) {
    router[route.method.toLowerCase() as 'get'](route.path, (req, res, next) => {
      core.run(route, req, req.baseUrl).then((r) => send(res, r), next);
    });
  }
  // Express would answer OPTIONS itself (200 with Allow); the contract is 405 problem+json, as on Fastify.
  router.use((req, _res, next) => next(req.method === 'OPTIONS' ? core.unmatched(req) : undefined));
  const notFound: RequestHandler = (req, _res, next) => next(core.unmatched(req));
  const onError: ErrorRequestHandler = (err, req, res, next) => {
    if (res.headersSent) return next(err);
    send(res, core.fail(err, req));
  };
  return { middleware: router, finalHandlers: [notFound, onError], core };
}

/**
 * Install everything on an Express 5 app: `X-Powered-By` off, the adapter's
 * middleware, then the 404/405 and error handlers. Returns the app.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { defineRoute } from '@plinth/http-adapters';
 * import { installPlinth } from '@plinth/http-adapters/express';
 *
 * const hello = defineRoute({ method: 'GET', path: '/hello', handler: () => ({ hello: 'world' }) });
 * installPlinth(express(), { routes: [hello] }).listen(3000);
 * ```
 */
export function installPlinth(app: Express, options: HttpAdapterOptions = {}): Express {
  const adapter = createExpressAdapter(options);
  app.disable('x-powered-by');
  app.use(adapter.middleware);
  app.use(...adapter.finalHandlers);
  return app;
}

/**
 * Graceful shutdown for an Express app through `@plinth/health`: readiness
 * fails first, then after the drain delay the HTTP server stops accepting,
 * idle keep-alive connections close, in-flight requests finish (up to
 * `timeoutMs`), and the hooks run in order.
 *
 * @example
 * ```ts
 * import { createHealth } from '@plinth/health';
 * import { createExpressShutdown, installPlinth } from '@plinth/http-adapters/express';
 *
 * const health = createHealth({ checks: {} });
 * const server = installPlinth(express(), { routes, health }).listen(3000);
 * createExpressShutdown(server, { health, hooks: [{ name: 'db', run: () => db.close() }] });
 * ```
 */
export function createExpressShutdown(server: ServerLike, options: ShutdownOptions = {}): Shutdown {
  if (typeof (server as Partial<ServerLike> | null)?.close !== 'function')
    throw invalidOptions('createExpressShutdown', {
      path: 'server',
      message: 'must be the http.Server that app.listen() returned',
    });
  return createShutdown({ ...options, servers: [server, ...(options.servers ?? [])] });
}
