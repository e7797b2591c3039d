import { createFreshDatabase, type FreshDatabase } from './postgres.js';
import { startTcpProxy, type TcpProxy } from './proxy.js';
import { type LocalS3, startLocalS3 } from './s3.js';
import { type Framework, type RunningService, serviceEnv, startService } from './service.js';

export interface Stack {
  readonly framework: Framework;
  readonly db: FreshDatabase;
  /** Between the service and PostgreSQL. */
  readonly dbProxy: TcpProxy;
  readonly s3: LocalS3;
  /** Between the service and the S3 server. */
  readonly s3Proxy: TcpProxy;
  readonly service: RunningService;
  /** The service's PostgreSQL application_name (to find its backends in pg_stat_activity). */
  readonly applicationName: string;
  /** The environment the service runs with (to start another instance). */
  readonly env: Record<string, string>;
  dispose(): Promise<void>;
}

export interface StackOptions {
  redisUrl?: string;
  otlpEndpoint?: string;
  extra?: Record<string, string | undefined>;
}

/**
 * A fresh database, fauxqs, a TCP proxy in front of each, and the built service
 * started on them. `dispose()` stops everything in reverse order.
 */
export async function startStack(
  framework: Framework,
  scenario: string,
  options: StackOptions = {},
): Promise<Stack> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const dispose = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
    cleanups.length = 0;
  };
  try {
    const db = await createFreshDatabase(`${scenario}_${framework}`);
    cleanups.push(() => db.drop());
    const dbProxy = await startTcpProxy(db.server);
    cleanups.push(() => dbProxy.close());
    const s3 = await startLocalS3();
    cleanups.push(() => s3.stop());
    const s3Proxy = await startTcpProxy({ host: '127.0.0.1', port: s3.port });
    cleanups.push(() => s3Proxy.close());
    const applicationName = `rel-${scenario}-${framework}`;
    const env = serviceEnv({
      databaseUrl: db.urlVia(dbProxy.address, { application_name: applicationName }),
      s3: { endpoint: `http://${s3Proxy.address}`, bucket: s3.bucket },
      redisUrl: options.redisUrl,
      otlpEndpoint: options.otlpEndpoint,
      extra: options.extra,
    });
    const service = await startService(framework, env, { name: scenario });
    cleanups.push(() => service.stop('SIGTERM', 15_000));
    return { framework, db, dbProxy, s3, s3Proxy, service, applicationName, env, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}
