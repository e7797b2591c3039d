import { maxHeaderSize, type ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import { scrubText } from '@plinth/errors';
import type { ShutdownOptions } from '@plinth/health';
import { flush } from '@plinth/logging';
import { getTelemetry, TELEMETRY_DEFAULTS } from '@plinth/telemetry';
import { type ClientsApp, createClientsApp } from './app.js';
import { type ClientsConfig, loadClientsConfig } from './config.js';

/**
 * The URL a listening server answers on, for the `listening` log line
 * (the real port when `PORT=0`).
 *
 * @example
 * ```ts
 * logger.info({ url: listeningUrl(server.address()) }, 'listening');
 * ```
 */
export function listeningUrl(address: AddressInfo | string | null): string {
  if (address === null || typeof address === 'string') return `unix:${address ?? ''}`;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/**
 * The graceful-shutdown sequence both mains hand to their framework's
 * shutdown wiring (which adds the server): on SIGTERM/SIGINT readiness fails
 * at once, after the drain delay the server stops accepting and in-flight
 * requests finish, then the app closes (audit log flushed, Redis and the pool
 * closed), telemetry exports what it holds, and the log is flushed.
 *
 * @example
 * ```ts
 * createFastifyShutdown(fastify, shutdownPlan(app, config));
 * ```
 */
export function shutdownPlan(app: ClientsApp, config: ClientsConfig): ShutdownOptions {
  const { logger } = app.deps;
  return {
    health: app.health,
    drainDelayMs: config.SHUTDOWN_DRAIN_DELAY,
    timeoutMs: config.SHUTDOWN_TIMEOUT,
    logger,
    hooks: [
      { name: 'app', run: () => app.close(), timeoutMs: 15_000 },
      {
        name: 'telemetry',
        run: async () => void (await getTelemetry()?.shutdown()),
        // shutdown() is bounded by the SDK's own timeout; give it room to report an unreachable collector.
        timeoutMs: TELEMETRY_DEFAULTS.shutdownTimeoutMs + 1_000,
      },
      { name: 'log', run: () => flush(logger) },
    ],
  };
}

/**
 * Loads the configuration, creates the app and starts it (PostgreSQL
 * reachable, Redis connected, migrations applied with `MIGRATE_ON_START`).
 * If starting fails, what was opened is closed before the error is rethrown.
 *
 * @example
 * ```ts
 * const { app, config } = await startClientsApp();
 * ```
 */
export async function startClientsApp(): Promise<{ app: ClientsApp; config: ClientsConfig }> {
  const config = await loadClientsConfig();
  const app = createClientsApp(config);
  try {
    await app.start();
  } catch (err) {
    await app.close();
    throw err;
  }
  return { app, config };
}

/**
 * Ends a process whose start-up failed: one JSON line on stderr (a config
 * error lists every bad key, never a value; other messages are scrubbed of
 * credentials), then exit code 1.
 *
 * @example
 * ```ts
 * main().catch(exitOnStartupFailure);
 * ```
 */
export function exitOnStartupFailure(err: unknown): never {
  const e = err as { code?: unknown; message?: unknown; issues?: unknown } | undefined;
  const issues = Array.isArray(e?.issues)
    ? e.issues.map((i: { key?: string; reason?: string }) => `${i.key}: ${i.reason}`)
    : undefined;
  const line = {
    level: 'fatal',
    time: new Date().toISOString(),
    msg: 'start-up failed',
    code: typeof e?.code === 'string' ? e.code : 'STARTUP_FAILED',
    ...(issues ? { issues } : { detail: scrubText(String(e?.message ?? err)) }),
  };
  // stderr is synchronous for files and pipes on Linux: the line is out before exit.
  process.stderr.write(`${JSON.stringify(line)}\n`);
  process.exit(1);
}

/**
 * `HTTP_TRUST_PROXY` in a form both frameworks accept: `true`/`false`, a list
 * of addresses/subnets, or, for a hop count, a function trusting that many
 * hops (Express and Fastify call it with the address and the hop index).
 *
 * @example
 * ```ts
 * express().set('trust proxy', trustProxyOf(config));
 * ```
 */
export function trustProxyOf(
  config: Pick<ClientsConfig, 'HTTP_TRUST_PROXY'>,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  const value = config.HTTP_TRUST_PROXY;
  if (typeof value === 'number') return (_address, hop) => hop < value;
  return typeof value === 'boolean' ? value : [...value];
}

/** The options of Node's HTTP server {@link serverOptionsOf} sets. */
export type ClientsServerOptions = Required<
  Pick<
    ServerOptions,
    | 'requestTimeout'
    | 'headersTimeout'
    | 'keepAliveTimeout'
    | 'connectionsCheckingInterval'
    | 'maxHeaderSize'
  >
>;

/**
 * Options of the Node HTTP server both mains create (`createServer` for
 * Express, `serverFactory` for Fastify), so both services time requests and
 * idle connections out alike: the `HTTP_*_TIMEOUT` values, checked every
 * second (Node's default check every 30 s would let a 5 s timeout run for
 * 35), and the header size limit, explicit so the Fastify router can be
 * given it as its longest path parameter.
 *
 * @example
 * ```ts
 * const server = createServer(serverOptionsOf(config), app).listen(config.PORT, config.HOST);
 * ```
 */
export function serverOptionsOf(
  config: Pick<
    ClientsConfig,
    'HTTP_REQUEST_TIMEOUT' | 'HTTP_HEADERS_TIMEOUT' | 'HTTP_KEEP_ALIVE_TIMEOUT'
  >,
): ClientsServerOptions {
  return {
    requestTimeout: config.HTTP_REQUEST_TIMEOUT,
    headersTimeout: config.HTTP_HEADERS_TIMEOUT,
    keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT,
    connectionsCheckingInterval: 1_000,
    // Node's limit (16 KiB, or --max-http-header-size): a request head longer than this gets 431.
    maxHeaderSize,
  };
}
