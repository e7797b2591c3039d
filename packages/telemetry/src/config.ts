import { type Secret, secret } from '@plinth/config';
import { z } from 'zod';
import { checkArguments, telemetryOptionsFromEnv } from './env.js';
import type { TelemetryOptions } from './types.js';

const raw = (description: string) => z.string().optional().describe(description);

/**
 * The standard `OTEL_*` variables as a `@plinth/config` schema fragment. The
 * values stay strings here and are parsed once, by
 * {@link telemetryOptionsFromConfig} (the same parser as
 * `telemetryOptionsFromEnv`), so a bad value never stops `loadConfig` and is
 * reported by variable name. `OTEL_EXPORTER_OTLP_HEADERS` is a `Secret`.
 *
 * @example
 * ```ts
 * import { loadConfig } from '@plinth/config';
 * import { startTelemetry } from '@plinth/telemetry';
 * import { telemetryFragment, telemetryOptionsFromConfig } from '@plinth/telemetry/config';
 * import { z } from 'zod';
 *
 * const config = await loadConfig({ schema: z.object({ ...telemetryFragment }) });
 * startTelemetry(telemetryOptionsFromConfig(config, { service: { name: 'clients' } }));
 * ```
 */
export const telemetryFragment = {
  OTEL_SDK_DISABLED: raw('true turns telemetry off even with an endpoint.'),
  OTEL_SERVICE_NAME: raw('service.name; wins over OTEL_RESOURCE_ATTRIBUTES.'),
  OTEL_RESOURCE_ATTRIBUTES: raw(
    'key=value,… resource attributes (service.version, deployment.environment.name, …).',
  ),
  OTEL_EXPORTER_OTLP_ENDPOINT: raw('OTLP/HTTP collector base URL; telemetry is off when unset.'),
  OTEL_EXPORTER_OTLP_HEADERS: secret()
    .optional()
    .describe('key=value,… headers for the collector (API keys).'),
  OTEL_EXPORTER_OTLP_TIMEOUT: raw('Per-export timeout in ms (default 10000).'),
  OTEL_TRACES_SAMPLER: raw(
    'parentbased_traceidratio (default), parentbased_always_on or parentbased_always_off.',
  ),
  OTEL_TRACES_SAMPLER_ARG: raw('Fraction of new traces sampled, 0 to 1 (default 1).'),
  OTEL_METRIC_EXPORT_INTERVAL: raw('Interval between metric exports in ms (default 60000).'),
};

type TelemetryConfig = {
  readonly [K in keyof typeof telemetryFragment]?: string | Secret | undefined;
};

/**
 * Options for `startTelemetry` from a config loaded with {@link telemetryFragment},
 * over `base`. Parses like `telemetryOptionsFromEnv` (same production rule;
 * `NODE_ENV` is read from the process); values that cannot be parsed are one
 * `ConfigError`, the class `loadConfig` throws.
 *
 * @throws ConfigError (`CONFIG_INVALID`) naming each bad variable, never its value;
 *   OptionsError (`INVALID_OPTIONS`) when `config` or `base` is not an object.
 *
 * @example
 * ```ts
 * import { startTelemetry } from '@plinth/telemetry';
 * import { telemetryOptionsFromConfig } from '@plinth/telemetry/config';
 *
 * startTelemetry(telemetryOptionsFromConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, { service: { name: 'clients' } }));
 * ```
 */
export function telemetryOptionsFromConfig(
  config: TelemetryConfig,
  base: Partial<TelemetryOptions> = {},
): TelemetryOptions {
  checkArguments('telemetryOptionsFromConfig', ['config', config], base);
  const env: Record<string, string | undefined> = { NODE_ENV: process.env.NODE_ENV };
  for (const [key, value] of Object.entries(config)) {
    env[key] = typeof value === 'object' && value !== null ? String(value.reveal()) : value;
  }
  return telemetryOptionsFromEnv(env, base);
}
