import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startFauxqs } from 'fauxqs';
import { Redis } from 'ioredis';
import type { TestProject } from 'vitest/node';
import {
  type ContractStack,
  createScratchDatabase,
  EXAMPLES_DIR,
  FRAMEWORKS,
  type Framework,
  generateSecrets,
  type S3Settings,
  type ServiceInfo,
  serviceEnv,
  startService,
} from './harness.js';

interface EmbeddedPostgres {
  connectionString: string;
  stop(): Promise<void>;
}

/**
 * Starts the shared stack once per run: one fresh PostgreSQL database per
 * service (CREATE DATABASE on DATABASE_URL's server; an embedded PGlite per
 * service when DATABASE_URL is unset), fauxqs with the documents bucket, and
 * both BUILT services as child processes. Teardown stops the services with
 * SIGTERM and fails the run unless each exits 0, then drops everything.
 */
export default async function setup(project: TestProject) {
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanup = async () => {
    const errors: unknown[] = [];
    for (const step of cleanups.reverse()) {
      try {
        await step();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) throw errors[0];
  };
  try {
    const runId = randomBytes(4).toString('hex');
    // The token secret is shared (the suite signs for both); each service has keys of its own.
    const auth = generateSecrets();
    const issuer = 'https://staff-id.contract.test/';
    const audience = 'plinth-clients-api';

    const fauxqs = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
    cleanups.push(() => fauxqs.stop());
    const s3: S3Settings = {
      endpoint: `http://127.0.0.1:${fauxqs.port}`,
      bucket: `contract-documents-${runId}`,
      region: 'us-east-1',
      accessKeyId: 'contract',
      secretAccessKey: 'contract-secret-access-key',
    };
    fauxqs.createBucket(s3.bucket);

    const redisUrl = process.env.REDIS_URL || null;
    const redisPrefix = `contract-${runId}:`;
    if (redisUrl)
      cleanups.push(async () => {
        const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
        try {
          await redis.connect();
          for (let i = 0, cursor = '0'; i < 1000; i++) {
            const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisPrefix}*`, 'COUNT', 500);
            if (keys.length > 0) await redis.del(...keys);
            cursor = next;
            if (cursor === '0') break;
          }
        } finally {
          redis.disconnect();
        }
      });

    const serverUrl = process.env.DATABASE_URL || undefined;
    const databaseFor = async (framework: Framework) => {
      if (serverUrl) {
        const db = await createScratchDatabase(serverUrl, `plinth_contract_${framework}`);
        cleanups.push(() => db.drop());
        return { url: db.url, embedded: false };
      }
      const lib = pathToFileURL(join(EXAMPLES_DIR, 'demo', 'lib', 'embedded-postgres.mjs')).href;
      const { startEmbeddedPostgres } = (await import(lib)) as {
        startEmbeddedPostgres(): Promise<EmbeddedPostgres>;
      };
      const pg = await startEmbeddedPostgres();
      cleanups.push(() => pg.stop());
      return { url: pg.connectionString, embedded: true };
    };

    // Both services start at once: start-up is mostly module loading, CPU the two can share.
    const settled = await Promise.allSettled(
      FRAMEWORKS.map(async (framework) => {
        const db = await databaseFor(framework);
        const env = serviceEnv({
          databaseUrl: db.url,
          s3,
          secrets: { ...generateSecrets(), AUTH_JWT_SECRET: auth.AUTH_JWT_SECRET },
          issuer,
          audience,
          redisUrl,
          redisPrefix: `${redisPrefix}${framework}:`,
        });
        // PGlite is one backend session: one connection (DESIGN §4).
        if (db.embedded) env.DATABASE_POOL_MAX = '1';
        const service = await startService(framework, env);
        cleanups.push(() => service.stop());
        const info: ServiceInfo = {
          url: service.url,
          databaseUrl: db.url,
          logFile: service.logFile,
          env,
        };
        return [framework, info, db.embedded] as const;
      }),
    );
    // allSettled, not all: a service still starting when the other fails must be stopped too.
    for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;
    const started = settled.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const services = Object.fromEntries(started.map(([f, info]) => [f, info])) as Record<
      Framework,
      ServiceInfo
    >;
    const embedded = started.some(([, , e]) => e);

    const stack: ContractStack = {
      auth: { secret: auth.AUTH_JWT_SECRET, issuer, audience },
      s3,
      services,
      redisUrl,
      embedded,
    };
    project.provide('contract', stack);
  } catch (err) {
    await cleanup().catch(() => undefined);
    throw err;
  }
  return cleanup;
}
