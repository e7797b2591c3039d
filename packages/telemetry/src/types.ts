/**
 * The smallest logger @plinth/telemetry needs: pino, a `@plinth/logging`
 * logger or anything with the same `(object, message)` signature. Used for
 * the one-line "collector unreachable" warning and the "recovered" note.
 *
 * @example
 * ```ts
 * import type { TelemetryLoggerLike } from '@plinth/telemetry';
 *
 * const logger: TelemetryLoggerLike = { warn: (obj, msg) => console.warn(msg, obj) };
 * ```
 */
export interface TelemetryLoggerLike {
  warn(obj: Record<string, unknown>, msg: string): void;
  info?(obj: Record<string, unknown>, msg: string): void;
}

/**
 * Built-in instrumentation names. `http` ships with this package; `pg`,
 * `express` and `fastify` load their optional peer packages
 * (`@opentelemetry/instrumentation-pg`, `@opentelemetry/instrumentation-express`,
 * `@fastify/otel`).
 *
 * @example
 * ```ts
 * import type { InstrumentationName } from '@plinth/telemetry';
 *
 * const names: InstrumentationName[] = ['http', 'pg'];
 * ```
 */
export type InstrumentationName = 'http' | 'pg' | 'express' | 'fastify';

/**
 * Any OpenTelemetry instrumentation instance (structurally typed so the root
 * `.d.ts` needs no optional peer).
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
 * Attribute values accepted for resource attributes (OTel `AttributeValue`).
 *
 * @example
 * ```ts
 * import type { ResourceAttributeValue } from '@plinth/telemetry';
 *
 * const region: ResourceAttributeValue = 'eu-west-1';
 * ```
 */
export type ResourceAttributeValue =
  | string
  | number
  | boolean
  | readonly string[]
  | readonly number[]
  | readonly boolean[];

/**
 * Options for {@link startTelemetry}. Defaults live in `TELEMETRY_DEFAULTS`.
 *
 * @example
 * ```ts
 * import { startTelemetry, type TelemetryOptions } from '@plinth/telemetry';
 *
 * const options: TelemetryOptions = { serviceName: 'clients', otlpEndpoint: 'http://collector:4318' };
 * const telemetry = startTelemetry(options);
 * ```
 */
export interface TelemetryOptions {
  /** `service.name`. Required, non-empty. */
  serviceName: string;
  /** `service.version`. */
  serviceVersion?: string;
  /** `deployment.environment.name` (e.g. `production`). */
  environment?: string;
  /**
   * OTLP/HTTP base URL (like `OTEL_EXPORTER_OTLP_ENDPOINT`); `/v1/traces` is
   * appended unless the path already ends with it. Empty or absent: telemetry
   * is disabled (no exporter, nothing registered globally).
   */
  otlpEndpoint?: string | URL;
  /** Full traces URL used as-is (like `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`); wins over `otlpEndpoint`. */
  otlpTracesEndpoint?: string | URL;
  /** Extra request headers for the collector (API keys). Values are never logged. */
  headers?: Record<string, string>;
  /** Root sampling ratio 0..1 for `ParentBased(TraceIdRatioBased)`. Default 1. */
  sampleRatio?: number;
  /** Instrumentations to enable. Default: `http` plus every optional one whose package is installed. */
  instrumentations?: readonly InstrumentationSpec[];
  /** Extra resource attributes; the explicit service fields above win. */
  resourceAttributes?: Record<string, ResourceAttributeValue>;
  /** Where export outages are reported (once per outage). Default: `process.emitWarning`. */
  logger?: TelemetryLoggerLike;
  /** Set to false to disable even with an endpoint (`OTEL_SDK_DISABLED=true`). Default true. */
  enabled?: boolean;
  /** Per-export HTTP timeout in ms. Default 10000. */
  exportTimeoutMs?: number;
  /** Upper bound for `shutdown()` (flush included) in ms. Default 5000. */
  shutdownTimeoutMs?: number;
}

/**
 * What {@link startTelemetry} returns.
 *
 * @example
 * ```ts
 * import { startTelemetry } from '@plinth/telemetry';
 *
 * const telemetry = startTelemetry({ serviceName: 'clients' });
 * process.once('SIGTERM', () => void telemetry.shutdown());
 * ```
 */
export interface TelemetryHandle {
  /** True when an exporter is running and the SDK is registered globally. */
  readonly enabled: boolean;
  /** The traces URL spans go to (credentials never included), or undefined when disabled. */
  readonly tracesUrl: string | undefined;
  /** Names of the enabled instrumentations. */
  readonly instrumentations: readonly string[];
  /** Exports buffered spans now. Never rejects; failures go to the logger. */
  forceFlush(): Promise<void>;
  /**
   * Flushes, stops the exporter, disables instrumentations and unregisters the
   * OTel globals it registered. Idempotent (every call returns the same
   * promise), bounded by `shutdownTimeoutMs`, never rejects.
   */
  shutdown(): Promise<void>;
}
