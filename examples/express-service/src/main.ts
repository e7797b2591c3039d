// Telemetry first: the preload starts OpenTelemetry from the OTEL_* variables and
// installs the ESM loader hook before anything below is loaded, so http, pg,
// ioredis, pino and the framework are instrumented. Static imports would all
// load before this line runs; everything else is therefore imported dynamically.
import '@plinth/telemetry/register';
import { once } from 'node:events';

const core = await import('@plinth-example/clients-core');
// ── Framework wiring: the only part that differs from the Fastify service ──
const { default: express } = await import('express');
const { createExpressShutdown, installPlinth } = await import('@plinth/http-adapters/express');

try {
  const { app, config } = await core.startClientsApp();

  const web = express().set('trust proxy', core.trustProxyOf(config));
  const server = installPlinth(web, app.httpOptions).listen(config.PORT, config.HOST);
  await once(server, 'listening');
  createExpressShutdown(server, core.shutdownPlan(app, config));

  app.deps.logger.info({ url: core.listeningUrl(server.address()) }, 'listening');
} catch (err) {
  core.exitOnStartupFailure(err);
}
