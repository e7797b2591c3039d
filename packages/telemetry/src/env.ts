import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { ValidationError } from '@plinth/errors';
import { ATTR_DEPLOYMENT_ENVIRONMENT_NAME } from './defaults.js';
import { parseDisabled, parseKeyValueList, parseSampler } from './env-parse.js';
import type { TelemetryOptions } from './types.js';
import type { Issues } from './validate-fields.js';

type Env = Readonly<Record<string, string | undefined>>;

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === '' ? undefined : trimmed;
}

function take(attributes: Record<string, string>, ...keys: string[]): string | undefined {
  let found: string | undefined;
  for (const key of keys) {
    if (found === undefined) found = nonEmpty(attributes[key]);
    delete attributes[key];
  }
  return found;
}

/**
 * Reads the standard `OTEL_*` variables into {@link TelemetryOptions}, on top
 * of `base` (code defaults; the environment wins). Read: `OTEL_SDK_DISABLED`,
 * `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES` (`service.version`,
 * `deployment.environment.name` and extras), `OTEL_EXPORTER_OTLP_ENDPOINT`,
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, `OTEL_EXPORTER_OTLP_HEADERS`,
 * `OTEL_EXPORTER_OTLP_TRACES_HEADERS`, `OTEL_TRACES_SAMPLER` (parent-based
 * ones only), `OTEL_TRACES_SAMPLER_ARG`; `NODE_ENV` is the environment
 * fallback. Values are never echoed in errors.
 *
 * @throws ValidationError (`TELEMETRY_ENV_INVALID`) listing every bad variable.
 *
 * @example
 * ```ts
 * import { startTelemetry, telemetryOptionsFromEnv } from '@plinth/telemetry';
 *
 * const telemetry = startTelemetry(telemetryOptionsFromEnv(process.env, { serviceName: 'clients' }));
 * ```
 */
export function telemetryOptionsFromEnv(
  env: Env = process.env,
  base: Partial<TelemetryOptions> = {},
): TelemetryOptions {
  const issues: Issues = [];
  const attributes = parseKeyValueList(
    issues,
    'OTEL_RESOURCE_ATTRIBUTES',
    env.OTEL_RESOURCE_ATTRIBUTES ?? '',
  );
  const headers = {
    ...parseKeyValueList(
      issues,
      'OTEL_EXPORTER_OTLP_HEADERS',
      env.OTEL_EXPORTER_OTLP_HEADERS ?? '',
    ),
    ...parseKeyValueList(
      issues,
      'OTEL_EXPORTER_OTLP_TRACES_HEADERS',
      env.OTEL_EXPORTER_OTLP_TRACES_HEADERS ?? '',
    ),
  };
  const fromEnv: Partial<TelemetryOptions> = {
    serviceName: nonEmpty(env.OTEL_SERVICE_NAME) ?? take(attributes, ATTR_SERVICE_NAME),
    serviceVersion: take(attributes, ATTR_SERVICE_VERSION),
    environment:
      take(attributes, ATTR_DEPLOYMENT_ENVIRONMENT_NAME, 'deployment.environment') ??
      nonEmpty(env.NODE_ENV),
    otlpEndpoint: nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT),
    otlpTracesEndpoint: nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT),
    sampleRatio: parseSampler(issues, env.OTEL_TRACES_SAMPLER, env.OTEL_TRACES_SAMPLER_ARG),
    enabled: parseDisabled(issues, env.OTEL_SDK_DISABLED) ? false : undefined,
  };
  delete attributes[ATTR_SERVICE_NAME];
  if (issues.length > 0) {
    throw new ValidationError(
      `Invalid telemetry environment: ${issues.map((i) => i.message).join('; ')}`,
      {
        code: 'TELEMETRY_ENV_INVALID',
        errors: issues,
      },
    );
  }
  const options: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(fromEnv)) if (value !== undefined) options[key] = value;
  if (Object.keys(attributes).length > 0) {
    options.resourceAttributes = { ...base.resourceAttributes, ...attributes };
  }
  if (Object.keys(headers).length > 0) options.headers = { ...base.headers, ...headers };
  return options as unknown as TelemetryOptions;
}
