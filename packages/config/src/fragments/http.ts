import { z } from 'zod';
import { perEnv } from '../per-env.js';
import { bytes } from '../primitives/bytes.js';
import { port } from '../primitives/numbers.js';
import { trustProxy } from './trust-proxy.js';

/**
 * HTTP server keys for `@plinth/http-adapters`. `HOST` defaults to
 * `127.0.0.1` in development/test (not reachable from the network) and
 * `0.0.0.0` in staging/production (containers).
 *
 * @example
 * ```ts
 * import { httpFragment, loadConfig } from '@plinth/config';
 * import { z } from 'zod';
 *
 * const { PORT, HOST } = await loadConfig({ schema: z.object({ ...httpFragment }) });
 * ```
 */
export const httpFragment = {
  PORT: port({ allowZero: true })
    .default(3000)
    .describe('TCP port the HTTP server listens on (0: any free port).'),
  HOST: perEnv(z.string().trim().min(1), {
    development: '127.0.0.1',
    test: '127.0.0.1',
    production: '0.0.0.0',
  }).describe('Interface the HTTP server binds to.'),
  HTTP_BODY_LIMIT: bytes({ min: 1 })
    .default(1024 * 1024)
    .describe('Largest request body accepted; larger gets 413.'),
  HTTP_TRUST_PROXY: trustProxy()
    .default(false)
    .describe('Which proxies to trust for X-Forwarded-* (client IP, protocol).'),
};
