import { ConfigError, invalidOptions, requireOptionsObject } from '@plinth/errors';
import { safeLogger, stderrLogger } from '@plinth/internal';
import { BAD_HEADER_VALUE, parseCollectorUrl } from './defaults.js';
import type { TelemetryOptions } from './types.js';

type Env = Readonly<Record<string, string | undefined>>;
type Issues = { key: string; reason: string }[];

const text = (value: string | undefined) => value?.trim() || undefined;

const isObject = (value: unknown) => typeof value === 'object' && value !== null;

/** A wrong-typed argument is a developer's mistake: an OptionsError, as startTelemetry throws. */
export function checkArguments(
  subject: string,
  [name, value]: [string, unknown],
  base: unknown,
): void {
  if (!isObject(value) || Array.isArray(value)) {
    throw invalidOptions(subject, {
      path: name,
      message: 'must be an object of variable name to value',
    });
  }
  // `base` is the options argument; both callers default it to `{}`.
  requireOptionsObject(base, subject);
}

/** `key=value,key2=value2` (percent-encoded), as OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_HEADERS use it. */
function keyValues(issues: Issues, name: string, raw: string | undefined) {
  const out: Record<string, string> = {};
  for (const entry of (raw ?? '').split(',')) {
    if (entry.trim() === '') continue;
    const eq = entry.indexOf('=');
    try {
      if (eq < 1) throw new Error('not key=value');
      out[decodeURIComponent(entry.slice(0, eq).trim())] = decodeURIComponent(
        entry.slice(eq + 1).trim(),
      );
    } catch {
      // Never the entry itself: header values are credentials. Once per variable: the
      // parsed pairs are not used when anything is wrong.
      issues.push({ key: name, reason: 'must be a list of key=value pairs (percent-encoded)' });
      return out;
    }
  }
  return out;
}

function number(issues: Issues, env: Env, name: string, min: number, max: number) {
  const raw = text(env[name]);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (Number.isFinite(value) && value >= min && value <= max) return value;
  issues.push({ key: name, reason: `must be a number from ${min} to ${max}` });
  return undefined;
}

const SAMPLERS = ['parentbased_traceidratio', 'parentbased_always_on', 'parentbased_always_off'];

function sampleRatio(issues: Issues, env: Env): number | undefined {
  const sampler = text(env.OTEL_TRACES_SAMPLER)?.toLowerCase() ?? SAMPLERS[0];
  if (sampler === 'parentbased_always_on') return 1;
  if (sampler === 'parentbased_always_off') return 0;
  if (sampler === SAMPLERS[0]) return number(issues, env, 'OTEL_TRACES_SAMPLER_ARG', 0, 1);
  issues.push({ key: 'OTEL_TRACES_SAMPLER', reason: `must be one of ${SAMPLERS.join(', ')}` });
  return undefined;
}

function parse(env: Env, issues: Issues): Partial<TelemetryOptions> {
  const attributes = keyValues(issues, 'OTEL_RESOURCE_ATTRIBUTES', env.OTEL_RESOURCE_ATTRIBUTES);
  const take = (...keys: string[]) => {
    const found = keys.map((key) => text(attributes[key])).find(Boolean);
    for (const key of keys) delete attributes[key];
    return found;
  };
  const disabled = text(env.OTEL_SDK_DISABLED)?.toLowerCase();
  if (disabled !== undefined && disabled !== 'true' && disabled !== 'false') {
    issues.push({ key: 'OTEL_SDK_DISABLED', reason: 'must be true or false' });
  }
  const endpoint = text(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  if (endpoint !== undefined && !parseCollectorUrl(endpoint)) {
    issues.push({
      key: 'OTEL_EXPORTER_OTLP_ENDPOINT',
      reason: 'must be an absolute http(s) URL without credentials',
    });
  }
  const name = text(env.OTEL_SERVICE_NAME) ?? take('service.name');
  const version = take('service.version');
  const environment = take('deployment.environment.name', 'deployment.environment');
  const headers = keyValues(issues, 'OTEL_EXPORTER_OTLP_HEADERS', env.OTEL_EXPORTER_OTLP_HEADERS);
  // %0D%0A decodes to CR/LF: refused here by name, as startTelemetry would refuse it.
  if (Object.values(headers).some((value) => BAD_HEADER_VALUE.test(value))) {
    issues.push({
      key: 'OTEL_EXPORTER_OTLP_HEADERS',
      reason: 'must not contain control characters (CR, LF, NUL) once decoded',
    });
  }
  return {
    service: { name: name ?? '', version, environment: environment ?? text(env.NODE_ENV) },
    otlpEndpoint: endpoint,
    headers: Object.keys(headers).length > 0 ? headers : undefined,
    resourceAttributes: Object.keys(attributes).length > 0 ? attributes : undefined,
    sampleRatio: sampleRatio(issues, env),
    exportTimeoutMs: number(issues, env, 'OTEL_EXPORTER_OTLP_TIMEOUT', 1, 600_000),
    metricIntervalMs: number(issues, env, 'OTEL_METRIC_EXPORT_INTERVAL', 1, 86_400_000),
    enabled: disabled === 'true' ? false : undefined,
  };
}

/**
 * Reads the standard `OTEL_*` variables into {@link TelemetryOptions} over
 * `base` (the environment wins where set): `OTEL_SDK_DISABLED`,
 * `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES` (`service.version`,
 * `deployment.environment.name` and extras), `OTEL_EXPORTER_OTLP_ENDPOINT`,
 * `OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_EXPORTER_OTLP_TIMEOUT`,
 * `OTEL_TRACES_SAMPLER` (parent-based ones), `OTEL_TRACES_SAMPLER_ARG`,
 * `OTEL_METRIC_EXPORT_INTERVAL`; `NODE_ENV` is the environment fallback.
 * Values that cannot be parsed are one `ConfigError` (`CONFIG_INVALID`, the
 * class `@plinth/config` throws too) naming each variable, never its value. In
 * production (`NODE_ENV=production`) without `base.required`, it is logged
 * once instead and telemetry stays off.
 *
 * @throws OptionsError (`INVALID_OPTIONS`) when `env` or `base` is not an object.
 *
 * @example
 * ```ts
 * import { startTelemetry, telemetryOptionsFromEnv } from '@plinth/telemetry';
 *
 * const telemetry = startTelemetry(telemetryOptionsFromEnv(process.env, { service: { name: 'clients' } }));
 * ```
 */
export function telemetryOptionsFromEnv(
  env: Env = process.env,
  base: Partial<TelemetryOptions> = {},
): TelemetryOptions {
  checkArguments('telemetryOptionsFromEnv', ['env', env], base);
  const issues: Issues = [];
  const fromEnv = parse(env, issues);
  const service = { ...base.service, name: base.service?.name ?? '' };
  for (const [key, value] of Object.entries(fromEnv.service ?? {})) {
    if (value) (service as Record<string, string>)[key] = value;
  }
  const options: TelemetryOptions = { ...base, service };
  for (const [key, value] of Object.entries(fromEnv)) {
    if (value !== undefined && key !== 'service')
      (options as unknown as Record<string, unknown>)[key] = value;
  }
  if (fromEnv.headers) options.headers = { ...base.headers, ...fromEnv.headers };
  if (fromEnv.resourceAttributes) {
    options.resourceAttributes = { ...base.resourceAttributes, ...fromEnv.resourceAttributes };
  }
  if (issues.length === 0) return options;
  // Each variable is reported as a whole (no path).
  const error = new ConfigError(
    issues.map(({ key, reason }) => ({ key, path: [], code: 'invalid', reason })),
  );
  if (env.NODE_ENV !== 'production' || base.required) throw error;
  safeLogger(base.logger ?? stderrLogger()).warn(
    { code: error.code, issues: error.issues },
    'telemetry is off: the OTEL_* environment has values that cannot be parsed',
  );
  return { ...options, otlpEndpoint: undefined, enabled: false };
}
