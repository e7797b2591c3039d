// Telemetry first: the preload starts OpenTelemetry from the OTEL_* variables and
// installs the ESM loader hook before anything below is loaded, so http, pg,
// ioredis, pino and the framework are instrumented. Static imports would all
// load before this line runs; everything else is therefore imported dynamically.
import '@plinth/telemetry/register';

const core = await import('@plinth-example/clients-core');
const { createServer } = await import('node:http');
const { clientErrorHandler } = await import('@plinth/http-adapters');
// ── Framework wiring: the only part that differs from the Express service ──
const { default: Fastify } = await import('fastify');
const { createFastifyShutdown, plinthFastify, plinthFrameworkErrors } = await import(
  '@plinth/http-adapters/fastify'
);

try {
  const { app, config } = await core.startClientsApp();

  const serverOptions = core.serverOptionsOf(config);
  const web = Fastify({
    // Node's server with the service's timeouts; a request its parser refuses gets problem+json too.
    serverFactory: (handler) => createServer(serverOptions, handler),
    clientErrorHandler,
    trustProxy: core.trustProxyOf(config),
    frameworkErrors: plinthFrameworkErrors,
    // A path parameter is bounded by the request head alone, as on Express: an over-long
    // id gets the route's validation error (400), not the router's 414.
    routerOptions: { maxParamLength: serverOptions.maxHeaderSize },
    // Requests already on a connection when shutdown starts are served (problem+json
    // on failure), as on Express, instead of Fastify's own plain 503.
    return503OnClosing: false,
  });
  await web.register(plinthFastify, app.httpOptions);
  await web.listen({ port: config.PORT, host: config.HOST });
  createFastifyShutdown(web, core.shutdownPlan(app, config));

  app.deps.logger.info({ url: core.listeningUrl(web.server.address()) }, 'listening');
} catch (err) {
  core.exitOnStartupFailure(err);
}
