import { hostname } from 'node:os';
import type { ServiceInfo } from '@plinth/internal';
import type { DestinationStream, Level, LoggerOptions as PinoOptions } from 'pino';
import { LOG_LEVELS } from './levels.js';
import type { OtelTraceApiLike } from './otel.js';
import type { RedactOptions } from './redact.js';

/** Options for `createLogger`. Defaults are listed in {@link resolveOptions}. */
export interface LoggerOptions {
  /**
   * Who is logging: the `service` field's value, or the `ServiceInfo` health
   * and telemetry take (`name` → `service`, `version` → `version`,
   * `environment` → `env`). Default: `process.env.OTEL_SERVICE_NAME`, else omitted.
   */
  service?: string | ServiceInfo;
  /** `version` base field; wins over `service.version`. Default: `service.version`, else omitted. */
  version?: string;
  /**
   * `env` base field; wins over `service.environment`. Default:
   * `service.environment`, else `process.env.NODE_ENV ?? 'development'`.
   */
  env?: string;
  /** Minimum level. Default: `process.env.LOG_LEVEL ?? 'info'`. */
  level?: Level | 'silent';
  /** Where lines go: any pino destination or writable stream. Default: stdout (synchronous). */
  destination?: DestinationStream | NodeJS.WritableStream;
  /** Human-readable output through pino-pretty. Default: true when `env` (or, without it, `service.environment`, then `NODE_ENV`) is exactly `development` and pino-pretty is installed. */
  pretty?: boolean;
  /** Redaction settings (key names at any depth, `Secret` values, pino paths). */
  redact?: RedactOptions;
  /** Add context and trace fields to every line. Default true. */
  context?: boolean;
  /** OpenTelemetry API for trace ids. Default: `@opentelemetry/api` if installed; `null` disables. */
  otel?: OtelTraceApiLike | null;
  /** Extra base fields on every line (redacted like log objects). */
  base?: Record<string, unknown>;
  /** Extra pino serializers; their output is redacted too. */
  serializers?: PinoOptions['serializers'];
  /** Logger name (`name` field). Default: omitted. */
  name?: string;
}

export interface ResolvedOptions {
  base: Record<string, unknown>;
  level: Level | 'silent';
  env: string;
  context: boolean;
  /** `env`, `service.environment` or `NODE_ENV` is exactly `development`: pretty by default. */
  development: boolean;
}

const LEVELS: ReadonlySet<string> = new Set(LOG_LEVELS);

/**
 * Apply defaults; flags an unknown `level` and a `service` object without a
 * string `name` so the caller can throw one error. The flat `version` and
 * `env` win over the `ServiceInfo`'s, which win over the environment variables.
 */
export function resolveOptions(
  options: LoggerOptions,
): ResolvedOptions & { badLevel?: boolean; badService?: boolean } {
  const given = options.service;
  const isInfo = typeof given === 'object' && given !== null;
  // Each ServiceInfo field is read once.
  const info: Partial<ServiceInfo> = isInfo
    ? { name: given.name, version: given.version, environment: given.environment }
    : { name: given };
  const named = options.env ?? info.environment ?? process.env.NODE_ENV;
  const env = named ?? 'development';
  const level = (options.level ?? process.env.LOG_LEVEL ?? 'info') as Level;
  const base: Record<string, unknown> = { pid: process.pid, hostname: hostname() };
  const service = info.name ?? process.env.OTEL_SERVICE_NAME;
  if (service !== undefined) base.service = service;
  const version = options.version ?? info.version;
  if (version !== undefined) base.version = version;
  base.env = env;
  Object.assign(base, options.base);
  return {
    base,
    level,
    env,
    context: options.context !== false,
    development: named === 'development',
    badLevel: !LEVELS.has(level),
    badService: isInfo && typeof info.name !== 'string',
  };
}
