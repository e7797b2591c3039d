import { bool, httpFragment, int, list, refuseInProduction } from '@plinth/config';
import { z } from 'zod';
import type { HttpAdapterOptions } from './core/options.js';

const ORIGIN = z
  .string()
  .regex(
    /^(https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?|\*)$/,
    'must be an origin like https://app.example.com, or *',
  );

/**
 * The settings of `@plinth/http-adapters` as a `@plinth/config` schema
 * fragment: the server keys of `@plinth/config`'s `httpFragment` (`PORT`,
 * `HOST`, `HTTP_BODY_LIMIT`, `HTTP_TRUST_PROXY`) plus CORS and HSTS.
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
