import { createHealth, type Health, postgresCheck, redisCheck } from '@plinth/health';
import { createJwtAuth, type HttpAdapterOptions } from '@plinth/http-adapters';
import { httpAdapterSettings, jwtAuthSettings } from '@plinth/http-adapters/config';
import type { Logger } from '@plinth/logging';
import type { ClientsConfig } from './config.js';
import { type AppDeps, createAppDeps, type Feature, type OwnedDeps, SERVICE_NAME } from './deps.js';
import { FEATURES } from './features.js';
import { runMigrations } from './migrations.js';
import { createRateLimitWiring } from './rate-limit.js';

/** Version of the HTTP API, in the OpenAPI document and health responses. */
export const API_VERSION = '1.0.0';

/** Features in reverse order (they may still write audit events), then the shared infrastructure. */
async function closeAll(features: readonly Feature[], deps: OwnedDeps): Promise<void> {
  for (const feature of [...features].reverse()) {
    try {
      await feature.close?.();
    } catch (err) {
      deps.logger.error({ err }, 'a feature failed to close');
    }
  }
  await deps.close();
}

/** Health, JWT auth, rate limits and the adapter options, from the features' routes and checks. */
function assemble(
  config: ClientsConfig,
  deps: OwnedDeps,
  features: readonly Feature[],
): { httpOptions: HttpAdapterOptions; health: Health } {
  const limits = createRateLimitWiring(deps);
  const health = createHealth({
    checks: {
      postgres: postgresCheck(deps.db),
      // Non-critical: without Redis the rate limits fall back per instance, so the
      // instance still serves (`warn`, HTTP 200) and stays in the load balancer.
      ...(deps.redis ? { redis: redisCheck(deps.redis, { critical: false }) } : {}),
      ...limits.checks,
      ...Object.assign({}, ...features.map((f) => f.checks ?? {})),
    },
    timeoutMs: 1_000,
    service: { name: SERVICE_NAME, version: API_VERSION },
  });
  // One issuer: the service's own (HS256) or the identity provider's (JWKS).
  // `verification_level` is copied into the principal for the end-client tiers.
  const auth = createJwtAuth(jwtAuthSettings(config, { tierClaims: ['verification_level'] }));
  const httpOptions: HttpAdapterOptions = {
    routes: features.flatMap((f) => f.routes),
    logger: deps.logger,
    health,
    audit: deps.audit.writer,
    preHandlers: [...auth.preHandlers],
    ...httpAdapterSettings(config),
    rateLimit: limits.rateLimit,
    openapi: {
      info: {
        title: 'Clients registry',
        version: API_VERSION,
        description: 'Example service of the Plinth toolkit: clients with encrypted personal data.',
      },
    },
    // The UI loads Scalar's bundle from a CDN: off in production unless DOCS_ENABLED says otherwise.
    docs: config.DOCS_ENABLED ? {} : false,
  };
  return { httpOptions, health };
}

/** Options of {@link createClientsApp}. */
export interface ClientsAppOptions {
  /** Default: a `@plinth/logging` logger from `LOG_LEVEL`/`LOG_PRETTY`. */
  logger?: Logger;
}

/** Everything a framework main needs, and nothing framework-specific. */
export interface ClientsApp {
  /** The one options object both the Express and the Fastify adapter take. */
  readonly httpOptions: HttpAdapterOptions;
  /** Readiness and liveness; hand it to the shutdown wiring so readiness fails first. */
  readonly health: Health;
  /** The infrastructure, for a main that needs it (the logger, say). */
  readonly deps: AppDeps;
  /** Checks PostgreSQL, connects Redis and, with `MIGRATE_ON_START`, migrates. */
  start(): Promise<void>;
  /** Releases the features, flushes the audit log, disconnects Redis, closes the pool. Idempotent. */
  close(): Promise<void>;
}

/**
 * Assembles the clients registry from loaded configuration: infrastructure
 * (`createAppDeps`), the features' routes, JWT auth, rate limiting, CORS,
 * health and the OpenAPI document. Nothing connects until `start()`.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { installPlinth } from '@plinth/http-adapters/express';
 * import { createClientsApp, loadClientsConfig } from '@plinth-example/clients-core';
 *
 * const app = createClientsApp(await loadClientsConfig());
 * await app.start();
 * installPlinth(express(), app.httpOptions).listen(3000);
 * ```
 */
export function createClientsApp(
  config: ClientsConfig,
  options: ClientsAppOptions = {},
): ClientsApp {
  const deps = createAppDeps(config, options);
  const features: Feature[] = [];
  let assembled: { httpOptions: HttpAdapterOptions; health: Health };
  try {
    for (const create of FEATURES) features.push(create(deps));
    assembled = assemble(config, deps, features);
  } catch (err) {
    // Bad options somewhere: release what was already opened, then report.
    void closeAll(features, deps);
    throw err;
  }
  const { httpOptions, health } = assembled;

  let closing: Promise<void> | undefined;
  return {
    httpOptions,
    health,
    deps,
    async start() {
      await deps.db.ping();
      await deps.redis?.connect();
      if (config.MIGRATE_ON_START) await runMigrations(deps.db, deps.auditMaintenance, deps.logger);
    },
    close() {
      closing ??= closeAll(features, deps);
      return closing;
    },
  };
}
