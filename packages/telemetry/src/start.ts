import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { AppError } from '@plinth/errors';
import { loggableUrl } from './endpoint.js';
import { monitorExporter } from './export-monitor.js';
import { loadInstrumentations } from './load-instrumentations.js';
import { processWarningLogger } from './logger.js';
import { clearActive, getActive, setActive } from './registry.js';
import { buildResource } from './resource.js';
import { settlesLate } from './settle.js';
import type { InstrumentationLike, TelemetryHandle, TelemetryOptions } from './types.js';
import { type NormalizedOptions, normalizeOptions } from './validate.js';

function disabledHandle(): TelemetryHandle {
  let closing: Promise<void> | undefined;
  const handle: TelemetryHandle = Object.freeze({
    enabled: false,
    tracesUrl: undefined,
    instrumentations: Object.freeze([]),
    forceFlush: () => Promise.resolve(),
    shutdown: () => {
      closing ??= Promise.resolve().then(() => clearActive(handle));
      return closing;
    },
  });
  return handle;
}

function registerGlobals(provider: NodeTracerProvider): () => void {
  if (!trace.setGlobalTracerProvider(provider)) {
    throw new AppError(
      'Another OpenTelemetry tracer provider is already registered in this process; start telemetry once, first thing at startup',
      { code: 'TELEMETRY_ALREADY_REGISTERED', status: 500 },
    );
  }
  const manager = new AsyncLocalStorageContextManager().enable();
  const ownsContext = context.setGlobalContextManager(manager);
  if (!ownsContext) manager.disable();
  const ownsPropagation = propagation.setGlobalPropagator(
    new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
  );
  return () => {
    trace.disable();
    if (ownsContext) context.disable();
    if (ownsPropagation) propagation.disable();
  };
}

/** Like registerInstrumentations, minus the meter provider (traces only). */
function enableInstrumentations(
  list: InstrumentationLike[],
  provider: NodeTracerProvider,
): () => void {
  const disableAll = () => {
    for (const instrumentation of list) instrumentation.disable();
  };
  try {
    for (const instrumentation of list) {
      instrumentation.setTracerProvider(provider);
      if (!instrumentation.getConfig().enabled) instrumentation.enable();
    }
  } catch (error) {
    disableAll();
    throw error;
  }
  return disableAll;
}

function startSdk(options: NormalizedOptions, tracesUrl: string): TelemetryHandle {
  const instrumentations = loadInstrumentations(options.instrumentations);
  const logger = options.logger ?? processWarningLogger;
  const endpoint = loggableUrl(tracesUrl);
  const exporter = monitorExporter(
    new OTLPTraceExporter({
      url: tracesUrl,
      headers: options.headers,
      timeoutMillis: options.exportTimeoutMs,
    }),
    logger,
    endpoint,
  );
  const provider = new NodeTracerProvider({
    resource: buildResource(options),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.sampleRatio) }),
    spanProcessors: [
      new BatchSpanProcessor(exporter, { exportTimeoutMillis: options.exportTimeoutMs }),
    ],
  });
  const unregisterGlobals = registerGlobals(provider);
  let disableInstrumentations: () => void;
  try {
    disableInstrumentations = enableInstrumentations(instrumentations, provider);
  } catch (error) {
    unregisterGlobals();
    throw error;
  }

  const bounded = async (work: Promise<unknown>, what: string) => {
    if (await settlesLate(work, options.shutdownTimeoutMs)) {
      logger.warn(
        { endpoint, timeoutMs: options.shutdownTimeoutMs },
        `telemetry ${what} timed out; unsent spans were dropped`,
      );
    }
  };
  const safely = async (fn: () => Promise<void>) => {
    try {
      await fn();
    } catch {
      // Telemetry must never take the service down; failures were logged by the monitor.
    }
  };

  let closing: Promise<void> | undefined;
  const handle: TelemetryHandle = Object.freeze({
    enabled: true,
    tracesUrl: endpoint,
    instrumentations: Object.freeze(instrumentations.map((i) => i.instrumentationName)),
    forceFlush: () => safely(() => bounded(provider.forceFlush(), 'flush')),
    shutdown: () => {
      closing ??= safely(async () => {
        try {
          await bounded(provider.shutdown(), 'shutdown');
        } finally {
          disableInstrumentations();
          unregisterGlobals();
          clearActive(handle);
        }
      });
      return closing;
    },
  });
  return handle;
}

/**
 * Starts OpenTelemetry tracing for this process: OTLP/HTTP exporter,
 * `ParentBased(TraceIdRatioBased(sampleRatio))` sampler, service resource and
 * the chosen instrumentations. With no endpoint (or `enabled: false`) it
 * returns a disabled handle and touches no global state. Call it before the
 * modules it instruments are loaded (see `@plinth/telemetry/register`).
 *
 * @throws ValidationError (`TELEMETRY_OPTIONS_INVALID`, `TELEMETRY_INSTRUMENTATION_MISSING`)
 *   for bad options; AppError `TELEMETRY_ALREADY_STARTED` / `TELEMETRY_ALREADY_REGISTERED`
 *   when telemetry or another OTel SDK is already running.
 *
 * @example
 * ```ts
 * import { startTelemetry } from '@plinth/telemetry';
 *
 * const telemetry = startTelemetry({
 *   serviceName: 'clients',
 *   serviceVersion: '1.4.0',
 *   environment: 'production',
 *   otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT,
 *   sampleRatio: 0.1,
 *   instrumentations: ['http', 'pg', 'fastify'],
 * });
 * // on SIGTERM, after the server closed:
 * await telemetry.shutdown();
 * ```
 */
export function startTelemetry(options: TelemetryOptions): TelemetryHandle {
  const normalized = normalizeOptions(options);
  if (getActive() !== undefined) {
    throw new AppError(
      'Telemetry is already started in this process (for example by --import @plinth/telemetry/register); use getTelemetry() to reach it',
      { code: 'TELEMETRY_ALREADY_STARTED', status: 500 },
    );
  }
  const handle =
    normalized.enabled && normalized.tracesUrl !== undefined
      ? startSdk(normalized, normalized.tracesUrl)
      : disabledHandle();
  setActive(handle);
  return handle;
}
