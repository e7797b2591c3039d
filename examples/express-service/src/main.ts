// Telemetry first: the preload starts OpenTelemetry from the OTEL_* variables and
// installs the ESM loader hook before anything below is loaded, so http, pg,
// ioredis, pino and the framework are instrumented. Static imports would all
// load before this line runs; everything else is therefore imported dynamically.
import '@plinth/telemetry/register';
import { once } from 'node:events';

const core = await import('@plinth-example/clients-core');
const { createServer } = await import('node:http');
const { clientErrorHandler } = await import('@plinth/http-adapters');
// ── Framework wiring: the only part that differs from the Fastify service ──
const { default: express } = await import('express');
const { createExpressShutdown, installPlinth } = await import('@plinth/http-adapters/express');

try {
  const { app, config } = await core.startClientsApp();

  const web = express().set('trust proxy', core.trustProxyOf(config));
  installPlinth(web, app.httpOptions);
  // Node's server with the service's timeouts; a request its parser refuses gets problem+json too.
  const server = createServer(core.serverOptionsOf(config), web);
  server.on('clientError', clientErrorHandler).listen(config.PORT, config.HOST);
  await once(server, 'listening');
  createExpressShutdown(server, core.shutdownPlan(app, config));

  app.deps.logger.info({ url: core.listeningUrl(server.address()) }, 'listening');
} catch (err) {
  core.exitOnStartupFailure(err);
}
