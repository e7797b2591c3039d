import { runWithContext } from '@plinth/context';
import { invalidOptions } from '@plinth/errors';
import {
  createShutdown,
  SHUTDOWN_DEFAULTS,
  type Shutdown,
  type ShutdownOptions,
} from '@plinth/health';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { createHttpCore } from '../core/core.js';
import type { HttpCore } from '../core/core-types.js';
import type { HttpAdapterOptions } from '../core/options.js';
import { continueTrace } from '../core/otel.js';
import { badUrl } from '../core/request-errors.js';
import type { HttpResponse } from '../core/response.js';
import type { RouteDefinition } from '../core/route.js';
import { type SecurityHeaderSet, securityHeaderSet } from '../core/security-headers.js';

const asIs = (payload: string) => payload;

function send(reply: FastifyReply, r: HttpResponse): FastifyReply {
  // The core already serialised the body; with a serializer set, Fastify neither
  // re-serialises it nor appends `; charset=utf-8` to a JSON content type.
  // A primed stream (ADR 0109) is piped by Fastify, which destroys the socket if it fails later.
  return reply
    .code(r.status)
    .headers(r.headers)
    .serializer(asIs)
    .send(r.stream ?? r.body);
}

/** helmet's headers, recorded once, on the reply: Fastify writes them with one `writeHead` (ADR 0107). */
function secure(reply: FastifyReply, security: SecurityHeaderSet): void {
  reply.headers(security.set);
  for (const name of security.remove) reply.removeHeader(name);
}

interface Installed {
  readonly core: HttpCore;
  readonly security: SecurityHeaderSet;
}
const installed = new WeakMap<FastifyInstance, Installed>();

/** Where each core route is kept in its Fastify route's `config`, for the `onRequest` hook. */
const ROUTE = Symbol('plinth.http-adapters.route');
const routeOf = (request: FastifyRequest) =>
  (request.routeOptions.config as { [ROUTE]?: RouteDefinition } | undefined)?.[ROUTE];

const plugin: FastifyPluginAsync<HttpAdapterOptions> = async (app, options) => {
  const core = createHttpCore(options, { prefix: app.prefix });
  // The same helmet headers as on Express (ADR 0099), recorded once (ADR 0107):
  // @fastify/helmet would rebuild its middleware on every request.
  const security = securityHeaderSet(options.hsts);
  installed.set(app, { core, security });
  // The core reads and limits every body itself, identically for both frameworks.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  app.addHook('onRequest', (request, reply, done) => {
    secure(reply, security);
    const state = core.begin(request.raw, reply.raw, request.ip, reply, routeOf(request));
    if (state.preflight) return void send(reply, { status: 204, headers: {}, body: undefined });
    runWithContext(state.context, () => continueTrace(request.headers, done));
  });
  for (const route of core.routes) {
    app.route({
      method: route.method,
      url: route.path,
      config: { [ROUTE]: route },
      // Once sent, resolve with nothing; a reply still being written (a stream, an
      // async onSend hook) is returned so Fastify waits for it.
      handler: (request, reply) =>
        core.run(route, request.raw).then((r) => {
          send(reply, r);
          return reply.sent ? undefined : reply;
        }),
    });
  }
  app.setNotFoundHandler((request, reply) =>
    send(reply, core.fail(core.unmatched(request.raw), request.raw)),
  );
  app.setErrorHandler((err, request, reply) => send(reply, core.fail(err, request.raw)));
};

/**
 * The Fastify 5 translation of the core, wrapped with `fastify-plugin` so its
 * hooks, routes, not-found and error handlers apply to the context that
 * registers it (register it at the root for the whole API, or inside a prefix
 * plugin for part of it). It replaces that context's body parsers: bodies are
 * read, limited and parsed by the core.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { defineRoute } from '@plinth/http-adapters';
 * import { plinthFastify } from '@plinth/http-adapters/fastify';
 *
 * const hello = defineRoute({ method: 'GET', path: '/hello', handler: () => ({ hello: 'world' }) });
 * await Fastify().register(plinthFastify, { routes: [hello] }).listen({ port: 3000 });
 * ```
 */
export const plinthFastify = fp(plugin, { fastify: '5.x', name: '@plinth/http-adapters' });

/**
 * Fastify's `frameworkErrors` option: a URL that does not decode (`/x/%E0%A4%A`)
 * is answered before any hook runs, so Fastify's own JSON would go out without
 * the core's headers. Pass this to answer it like Express does: a 400
 * problem+json with the same security, CORS and correlation headers.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { plinthFastify, plinthFrameworkErrors } from '@plinth/http-adapters/fastify';
 *
 * const app = Fastify({ frameworkErrors: plinthFrameworkErrors });
 * await app.register(plinthFastify, { routes });
 * ```
 */
export function plinthFrameworkErrors(
  error: Error,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const found = installed.get(request.server);
  if (!found) return void reply.code(400).send();
  secure(reply, found.security);
  found.core.begin(request.raw, reply.raw, request.ip, reply);
  const code = (error as { code?: string }).code;
  send(reply, found.core.fail(code === 'FST_ERR_BAD_URL' ? badUrl() : error, request.raw));
}

/**
 * Graceful shutdown for a Fastify app through `@plinth/health`: readiness
 * fails first, then after the drain delay `app.close()` runs as the first
 * hook (Fastify stops accepting, answers new requests on kept-alive
 * connections with 503, lets in-flight requests finish — for up to the
 * shutdown's `timeoutMs` — and runs every plugin's `onClose` hook), then your
 * hooks in order.
 *
 * @example
 * ```ts
 * import { createHealth } from '@plinth/health';
 * import { createFastifyShutdown } from '@plinth/http-adapters/fastify';
 *
 * const health = createHealth({ checks: {} });
 * createFastifyShutdown(app, { health, hooks: [{ name: 'db', run: () => db.close() }] });
 * ```
 */
export function createFastifyShutdown(
  app: FastifyInstance,
  options: ShutdownOptions = {},
): Shutdown {
  if (typeof (app as Partial<FastifyInstance> | null)?.close !== 'function' || !app.server)
    throw invalidOptions('createFastifyShutdown', {
      path: 'app',
      message: 'must be a Fastify instance (after listen(), so its server exists)',
    });
  let closing = false;
  // Fastify closes idle keep-alive connections once, when close() starts: the connection of
  // a request still running then would keep close() waiting for its keepAliveTimeout (72 s).
  // So, once closing, each connection is closed as soon as its response is done.
  app.server.prependListener('request', (_req, res) => {
    res.once('close', () => {
      if (closing) setImmediate(() => app.server.closeIdleConnections());
    });
  });
  return createShutdown({
    ...options,
    hooks: [
      // On Fastify, app.close() is where in-flight requests finish: it gets the shutdown
      // deadline, not the shorter per-hook default, or the next hooks (pool, audit) would
      // close under requests still running.
      {
        name: 'fastify',
        run: () => {
          closing = true;
          return app.close();
        },
        timeoutMs: options.timeoutMs ?? SHUTDOWN_DEFAULTS.timeoutMs,
      },
      ...(options.hooks ?? []),
    ],
  });
}
