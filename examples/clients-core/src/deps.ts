import {
  type AuditMaintenance,
  type AuditReader,
  type AuditWriter,
  createAuditLog,
} from '@plinth/audit';
import {
  type BlindIndex,
  createBlindIndex,
  createFieldCipher,
  type FieldCipher,
} from '@plinth/crypto';
import { createDatabase, type Database } from '@plinth/db-repository';
import { databaseOptionsFromConfig } from '@plinth/db-repository/config';
import type { Check } from '@plinth/health';
import type { RouteDefinition } from '@plinth/http-adapters';
import { createLogger, type Logger } from '@plinth/logging';
import { Redis } from 'ioredis';
import type { ClientsConfig } from './config.js';

/** Name of the service in logs, health responses and the OpenAPI document. */
export const SERVICE_NAME = 'clients-registry';

/**
 * The infrastructure every feature is built from, created once by
 * {@link createAppDeps} and closed once by its owner.
 */
export interface AppDeps {
  readonly config: ClientsConfig;
  readonly logger: Logger;
  readonly db: Database;
  /** The write side for every feature, the read side for the audit-events route. */
  readonly audit: { readonly writer: AuditWriter; readonly reader: AuditReader };
  /** Field cipher of personal data at rest (`pl1`), bound to tenant/table/column/row. */
  readonly fields: FieldCipher;
  /** Blind index of client emails: lookup and per-tenant uniqueness without decrypting. */
  readonly emailIndex: BlindIndex;
  /** Present when `REDIS_URL` is set. */
  readonly redis?: Redis;
}

/**
 * What a feature module gives the app: its routes, the readiness checks of
 * the dependencies it alone uses, and how to release what it holds.
 */
export interface Feature {
  readonly routes: RouteDefinition[];
  readonly checks?: Record<string, Check>;
  close?(): Promise<void>;
}

/** {@link AppDeps} plus what only the app's owner touches. */
export interface OwnedDeps extends AppDeps {
  readonly auditMaintenance: AuditMaintenance;
  /** Flushes the audit log, then disconnects Redis and closes the pool. Idempotent. */
  close(): Promise<void>;
}

/** Options of {@link createAppDeps}. */
export interface AppDepsOptions {
  /** Default: a `@plinth/logging` logger from `LOG_LEVEL`/`LOG_PRETTY`. */
  logger?: Logger;
}

/** Emails match however they were typed: Unicode NFC, trimmed, lower-cased. */
export const normalizeEmail = (email: string): string =>
  email.normalize('NFC').trim().toLowerCase();

function createRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    lazyConnect: true,
    // A request must fail fast when Redis is away, not queue behind reconnects.
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  // Without a listener ioredis would crash the process; the URL is never logged.
  let reported = false;
  redis.on('error', (err: NodeJS.ErrnoException) => {
    if (reported) return;
    reported = true;
    logger.warn({ code: err.code ?? 'REDIS_ERROR' }, 'redis unavailable; retrying');
  });
  redis.on('ready', () => {
    if (reported) logger.info('redis available again');
    reported = false;
  });
  return redis;
}

/**
 * Creates the logger, database pool, audit log, field cipher, blind index and
 * (with `REDIS_URL`) the Redis client. Nothing connects yet: the pool opens on
 * the first query and Redis in `connect()` of the app's `start()`.
 *
 * @example
 * ```ts
 * import { createAppDeps, loadClientsConfig } from '@plinth-example/clients-core';
 *
 * const deps = createAppDeps(await loadClientsConfig());
 * await deps.close();
 * ```
 */
export function createAppDeps(config: ClientsConfig, options: AppDepsOptions = {}): OwnedDeps {
  const logger =
    options.logger ??
    createLogger({ service: SERVICE_NAME, level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });
  const db = createDatabase(
    databaseOptionsFromConfig(config, { logger, applicationName: SERVICE_NAME }),
  );
  const fields = createFieldCipher({ keyring: config.ENCRYPTION_KEYS.reveal() });
  const emailIndex = createBlindIndex({
    key: config.BLIND_INDEX_KEY.reveal(),
    scope: 'clients.email',
    normalize: normalizeEmail,
  });
  const { writer, reader, maintenance } = createAuditLog({
    db,
    cipher: fields,
    onError: (err, failure) =>
      logger.error({ err, lost: failure.ids.length }, 'audit events could not be stored'),
  });
  const redis = config.REDIS_URL ? createRedis(config.REDIS_URL.reveal(), logger) : undefined;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      try {
        await writer.close();
      } finally {
        await Promise.allSettled([
          // A client that never connected has nothing to say goodbye to.
          redis?.status === 'ready' ? redis.quit() : redis?.disconnect(),
          db.close(),
        ]);
      }
    })();
    return closing;
  };
  return {
    config,
    logger,
    db,
    audit: { writer, reader },
    fields,
    emailIndex,
    ...(redis ? { redis } : {}),
    auditMaintenance: maintenance,
    close,
  };
}
