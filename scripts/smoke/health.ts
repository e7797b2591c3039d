// Usage of @plinth/health as a consumer writes it.
import { createServer } from 'node:http';
import {
  createHealth,
  createHealthHandler,
  createShutdown,
  type HealthResponse,
} from '@plinth/health';
import { s3BucketCheck } from '@plinth/health/s3';

const health = createHealth({
  checks: { database: { check: async () => undefined, componentType: 'datastore' } },
  timeoutMs: 500,
});
const handler = createHealthHandler(health);
const server = createServer((req, res) => {
  if (!handler(req, res)) res.end('ok');
});
const shutdown = createShutdown({ servers: [server], health, signals: [], exit: () => {} });
export async function smokeHealth(): Promise<number> {
  const ready: HealthResponse = await health.ready();
  await shutdown.shutdown();
  return ready.httpStatus;
}
export const smokeS3 = s3BucketCheck;
