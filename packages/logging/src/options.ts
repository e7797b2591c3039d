import { hostname } from 'node:os';
import type { DestinationStream, Level, LoggerOptions as PinoOptions } from 'pino';
import { LOG_LEVELS } from './levels.js';
import type { OtelTraceApiLike } from './otel.js';
import type { RedactOptions } from './redact.js';

/** Options for `createLogger`. Defaults are listed in {@link resolveOptions}. */
export interface LoggerOptions {
  /** `service` base field. Default: `process.env.OTEL_SERVICE_NAME`, else omitted. */
  service?: string;
  /** `version` base field. Default: omitted. */
  version?: string;
  /** `env` base field. Default: `process.env.NODE_ENV ?? 'development'`. */
  env?: string;
  /** Minimum level. Default: `process.env.LOG_LEVEL ?? 'info'`. */
  level?: Level | 'silent';
  /** Where lines go: any pino destination or writable stream. Default: stdout (synchronous). */
  destination?: DestinationStream | NodeJS.WritableStream;
  /** Human-readable output through pino-pretty. Default: true when `env` (or, without it, `NODE_ENV`) is exactly `development` and pino-pretty is installed. */
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
}

const LEVELS: ReadonlySet<string> = new Set(LOG_LEVELS);

/** Apply defaults; flags an unknown `level` so the caller can throw one error. */
export function resolveOptions(options: LoggerOptions): ResolvedOptions & { badLevel?: boolean } {
  const env = options.env ?? process.env.NODE_ENV ?? 'development';
  const level = (options.level ?? process.env.LOG_LEVEL ?? 'info') as Level;
  const base: Record<string, unknown> = { pid: process.pid, hostname: hostname() };
  const service = options.service ?? process.env.OTEL_SERVICE_NAME;
  if (service !== undefined) base.service = service;
  if (options.version !== undefined) base.version = options.version;
  base.env = env;
  Object.assign(base, options.base);
  return { base, level, env, context: options.context !== false, badLevel: !LEVELS.has(level) };
}
