import { isIP } from 'node:net';
import { bool, bytes, int, list, perEnv, port, refuseInProduction } from '@plinth/config';
import { z } from 'zod';
import type { HttpAdapterOptions } from './core/options.js';

export type { JwtAuthConfig } from './auth-config.js';
export { authFragment, jwtAuthSettings } from './auth-config.js';
export type { RateLimitConfig } from './rate-limit/config.js';
export { rateLimitFragment, rateLimitSettings } from './rate-limit/config.js';

/** `false`/`true`, a hop count, or a list of trusted addresses/subnets. */
export type TrustProxy = boolean | number | readonly string[];

const TRUE = new Set(['true', 'yes', 'on']);
const FALSE = new Set(['false', 'no', 'off']);
/** The names proxy-addr (under both Express and Fastify) knows besides addresses. */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An address, an address/prefix (`10.0.0.0/8`, `fd00::/8`), an IPv4 address/netmask, or a range name. */
function isTrustedItem(item: string): boolean {
  if (RANGE_NAMES.has(item)) return true;
  const [address = '', range, ...rest] = item.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (range === undefined) return true;
  if (/^\d{1,3}$/.test(range)) return Number(range) <= (version === 4 ? 32 : 128);
  return version === 4 && isIP(range) === 4;
}

/**
 * Trust-proxy setting in the shape Express and Fastify accept: `true`/`false`,
 * a number of hops (`1`), or a comma list (`loopback, 10.0.0.0/8`).
 *
 * @example
 * ```ts
 * import { trustProxy } from '@plinth/http-adapters/config';
 * import { z } from 'zod';
 *
 * const schema = z.object({ EDGE_TRUST_PROXY: trustProxy().default(1) });
 * ```
 */
export function trustProxy(): z.ZodPipe<z.ZodString, z.ZodTransform<TrustProxy, string>> {
  return z.string().transform((raw, ctx): TrustProxy => {
    const text = raw.trim();
    const word = text.toLowerCase();
    if (TRUE.has(word)) return true;
    if (FALSE.has(word)) return false;
    if (/^\d{1,3}$/.test(text)) return Number(text);
    const items = text.split(',').map((s) => s.trim());
    if (items.every(isTrustedItem)) return Object.freeze(items);
    ctx.addIssue({
      code: 'custom',
      message:
        'must be true/false, a hop count, or a comma list of addresses, subnets (10.0.0.0/8) or loopback, linklocal, uniquelocal',
    });
    return z.NEVER;
  });
}

/**
 * HTTP server keys: `HOST` defaults to `127.0.0.1` in development/test (not
 * reachable from the network) and `0.0.0.0` in staging/production
 * (containers). Part of {@link httpAdaptersFragment}; spread this alone for a
 * server that does not use the adapters' CORS and HSTS keys.
 *
 * @example
 * ```ts
 * import { loadConfig } from '@plinth/config';
 * import { httpFragment } from '@plinth/http-adapters/config';
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
    .describe(
      'Which proxies to trust for X-Forwarded-* (client IP, protocol):\ntrue|false, a hop count, or a comma list of addresses/subnets.',
    ),
};

const ORIGIN = z
  .string()
  .regex(
    /^(https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?|\*)$/,
    'must be an origin like https://app.example.com, or *',
  );

/**
 * The settings of `@plinth/http-adapters` as a `@plinth/config` schema
 * fragment: the server keys of {@link httpFragment} (`PORT`, `HOST`,
 * `HTTP_BODY_LIMIT`, `HTTP_TRUST_PROXY`) plus CORS and HSTS.
 * `CORS_ORIGINS=*` is refused in production at load time.
 *
 * @example
 * ```ts
 * import { loadConfig } from '@plinth/config';
 * import { httpAdapterSettings, httpAdaptersFragment } from '@plinth/http-adapters/config';
 * import { z } from 'zod';
 *
 * const config = await loadConfig({ schema: z.object({ ...httpAdaptersFragment }) });
 * const options = { routes, ...httpAdapterSettings(config) };
 * ```
 */
export const httpAdaptersFragment = {
  ...httpFragment,
  CORS_ORIGINS: refuseInProduction(
    list(ORIGIN).default([]),
    (origins) => origins.includes('*'),
    "allows any origin ('*')",
  ).describe(
    'Origins allowed to call the API from a browser, comma-separated; empty turns CORS off.',
  ),
  CORS_CREDENTIALS: bool()
    .default(false)
    .describe('Allow cookies and Authorization on cross-origin requests (listed origins only).'),
  HTTP_HSTS_MAX_AGE: int({ min: 0, max: 63_072_000 })
    .default(31_536_000)
    .describe('Strict-Transport-Security max-age in seconds; 0 turns the header off.'),
};

/** The loaded values {@link httpAdapterSettings} reads. */
export interface HttpAdapterConfig {
  readonly HTTP_BODY_LIMIT: number;
  readonly CORS_ORIGINS: readonly string[];
  readonly CORS_CREDENTIALS: boolean;
  readonly HTTP_HSTS_MAX_AGE: number;
}

/**
 * Adapter options from loaded configuration: `bodyLimit`, `cors` (off when no
 * origin is listed) and `hsts` (off at max-age 0). Spread them into the
 * options object both adapters take.
 *
 * @example
 * ```ts
 * import { httpAdapterSettings } from '@plinth/http-adapters/config';
 *
 * installPlinth(express(), { routes, ...httpAdapterSettings(config) });
 * ```
 */
export function httpAdapterSettings(
  config: HttpAdapterConfig,
): Pick<HttpAdapterOptions, 'bodyLimit' | 'cors' | 'hsts'> {
  const origins = [...config.CORS_ORIGINS];
  return {
    bodyLimit: config.HTTP_BODY_LIMIT,
    cors:
      origins.length === 0
        ? false
        : { origins: origins.includes('*') ? '*' : origins, credentials: config.CORS_CREDENTIALS },
    hsts: config.HTTP_HSTS_MAX_AGE === 0 ? false : { maxAgeSeconds: config.HTTP_HSTS_MAX_AGE },
  };
}
