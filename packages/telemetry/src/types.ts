import type { LoggerLike, ServiceInfo } from '@plinth/internal';

/**
 * Built-in instrumentation names. `http`, `undici` (fetch), `runtime` (Node
 * runtime metrics) and `pino` (log records over OTLP) ship with this package;
 * `pg`, `ioredis`, `express`, `fastify` and `aws-sdk` load their optional
 * peer package when it is installed.
 *
 * @example
 * ```ts
 * import type { InstrumentationName } from '@plinth/telemetry';
 *
 * const names: InstrumentationName[] = ['http', 'pg'];
 * ```
 */
export type InstrumentationName =
  | 'http'
  | 'undici'
  | 'runtime'
  | 'pino'
  | 'pg'
  | 'ioredis'
  | 'express'
  | 'fastify'
  | 'aws-sdk';

/**
 * Any OpenTelemetry instrumentation instance (structural, so the root `.d.ts`
 * needs no optional peer).
 *
 * @example
 * ```ts
 * import type { InstrumentationLike } from '@plinth/telemetry';
 * import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
 *
 * const http: InstrumentationLike = new HttpInstrumentation();
 * ```
 */
export interface InstrumentationLike {
  readonly instrumentationName: string;
  enable(): void;
  disable(): void;
  setTracerProvider(provider: unknown): void;
  setMeterProvider(provider: unknown): void;
  getConfig(): { enabled?: boolean };
}

/**
 * One entry of `instrumentations`: a built-in name, a name with the
 * instrumentation's own config, or a ready-made instance.
 *
 * @example
 * ```ts
 * import type { InstrumentationSpec } from '@plinth/telemetry';
 *
 * const spec: InstrumentationSpec = { name: 'http', config: { ignoreIncomingRequestHook: () => false } };
 * ```
 */
export type InstrumentationSpec =
  | InstrumentationName
  | { readonly name: InstrumentationName; readonly config?: Record<string, unknown> }
  | InstrumentationLike;

/**
 * Options for {@link startTelemetry}. Every default is in `TELEMETRY_DEFAULTS`.
 *
 * @example
 * ```ts
 * import { startTelemetry, type TelemetryOptions } from '@plinth/telemetry';
 *
 * const options: TelemetryOptions = { service: { name: 'clients' }, otlpEndpoint: 'http://collector:4318' };
 * const telemetry = startTelemetry(options);
 * ```
 */
export interface TelemetryOptions {
  /** `service.name`, `service.version`, `deployment.environment.name`. `name` is required. */
  service: ServiceInfo;
  /**
   * OTLP/HTTP base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`): traces, metrics and
   * logs go to `<base>/v1/traces`, `/v1/metrics`, `/v1/logs`. Absent or empty:
   * telemetry is disabled (nothing registered globally).
   */
  otlpEndpoint?: string | URL;
  /** Request headers for the collector (API keys). Never logged. */
  headers?: Record<string, string>;
  /** Root sampling ratio 0..1 for `ParentBased(TraceIdRatioBased)`. Default 1. */
  sampleRatio?: number;
  /** Default: every built-in whose package is installed. */
  instrumentations?: readonly InstrumentationSpec[];
  /** Extra resource attributes; `service` wins over them. */
  resourceAttributes?: Record<string, string | number | boolean>;
  /** Where an export outage is reported (once per outage). Default: JSON lines on stderr. */
  logger?: LoggerLike;
  /** false disables even with an endpoint (`OTEL_SDK_DISABLED=true`). Default true. */
  enabled?: boolean;
  /** Per-export HTTP timeout in ms (`OTEL_EXPORTER_OTLP_TIMEOUT`). Default 10000. */
  exportTimeoutMs?: number;
  /** Interval between metric exports in ms (`OTEL_METRIC_EXPORT_INTERVAL`). Default 60000. */
  metricIntervalMs?: number;
  /** Upper bound for `shutdown()` (flush included) in ms. Default 5000. */
  shutdownTimeoutMs?: number;
  /**
   * Bad `OTEL_*` values throw even in production. Default false: in production
   * (`NODE_ENV=production`) they are reported once and telemetry stays off,
   * so a telemetry typo never stops a service from starting.
   */
  required?: boolean;
}

/**
 * What {@link startTelemetry} returns.
 *
 * @example
 * ```ts
 * import { startTelemetry } from '@plinth/telemetry';
 *
 * const telemetry = startTelemetry({ service: { name: 'clients' } });
 * process.once('SIGTERM', () => void telemetry.shutdown());
 * ```
 */
export interface TelemetryHandle {
  /** True when exporters run and the SDK is registered globally. */
  readonly enabled: boolean;
  /** The collector base URL (origin and path, never a query string), or undefined when disabled. */
  readonly endpoint: string | undefined;
  /** Names of the enabled instrumentations. */
  readonly instrumentations: readonly string[];
  /** Exports buffered spans, metrics and logs now. Never rejects. */
  forceFlush(): Promise<void>;
  /**
   * Flushes, stops the exporters, disables instrumentations and unregisters
   * the OTel globals. Idempotent (one shared promise), bounded by
   * `shutdownTimeoutMs`, never rejects.
   */
  shutdown(): Promise<void>;
}
