import { context, logs, metrics, propagation, trace } from '@opentelemetry/api';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { NodeSDK, type NodeSDKConfiguration } from '@opentelemetry/sdk-node';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace';
import { AppError } from '@plinth/errors';
import { settlesWithin } from '@plinth/internal';
import { signalUrl } from './defaults.js';
import { createExportMonitor } from './export-monitor.js';
import { createExportStopper } from './export-stopper.js';
import { loadInstrumentations, markEnabled } from './instrumentations.js';
import { type NormalizedOptions, normalizeOptions } from './options.js';
import { clearActive, getActive, setActive } from './registry.js';
import type { TelemetryHandle, TelemetryOptions } from './types.js';

// Where @opentelemetry/api 1.x keeps its registered globals.
const OTEL_API_GLOBALS = Symbol.for('opentelemetry.js.api.1');

function handle(
  fields: Pick<TelemetryHandle, 'enabled' | 'endpoint' | 'instrumentations'>,
  flush: () => Promise<void>,
  stop: () => Promise<void>,
): TelemetryHandle {
  let closing: Promise<void> | undefined;
  const self: TelemetryHandle = Object.freeze({
    ...fields,
    forceFlush: flush,
    shutdown: () => {
      closing ??= stop().finally(() => clearActive(self));
      return closing;
    },
  });
  return self;
}

function resourceOf({ service, resourceAttributes }: NormalizedOptions) {
  const attributes: Record<string, string | number | boolean> = { ...resourceAttributes };
  attributes['service.name'] = service.name;
  if (service.version !== undefined) attributes['service.version'] = service.version;
  if (service.environment !== undefined) {
    attributes['deployment.environment.name'] = service.environment;
  }
  return defaultResource().merge(resourceFromAttributes(attributes));
}

function startSdk(options: NormalizedOptions, endpoint: URL): TelemetryHandle {
  const instrumentations = loadInstrumentations(options.instrumentations);
  const { logger, headers, exportTimeoutMs: timeoutMillis } = options;
  const base = `${endpoint.origin}${endpoint.pathname}`;
  const stopper = createExportStopper();
  const monitor = createExportMonitor(logger, base, () => stopper.stopped);
  const watch = <T extends Parameters<typeof monitor>[0]>(exporter: T, signal: string) =>
    monitor(stopper.track(exporter), signal);
  const exporterOptions = (signal: 'traces' | 'metrics' | 'logs') => ({
    url: signalUrl(endpoint, signal),
    headers,
    timeoutMillis,
    httpAgentOptions: stopper.agentFactory,
  });
  const traces = new OTLPTraceExporter(exporterOptions('traces'));
  const metricsOut = new OTLPMetricExporter(exporterOptions('metrics'));
  const logsOut = new OTLPLogExporter(exporterOptions('logs'));
  const spanProcessor = new BatchSpanProcessor({
    exporter: watch(traces, 'traces'),
    exportTimeoutMillis: timeoutMillis,
  });
  const metricReader = new PeriodicExportingMetricReader({
    exporter: watch(metricsOut, 'metrics'),
    exportIntervalMillis: options.metricIntervalMs,
    exportTimeoutMillis: Math.min(timeoutMillis, options.metricIntervalMs),
  });
  const logProcessor = new BatchLogRecordProcessor({
    exporter: watch(logsOut, 'logs'),
    exportTimeoutMillis: timeoutMillis,
  });
  const sdk = new NodeSDK({
    resource: resourceOf(options),
    // NodeSDK's default detectors include the process detector, which copies
    // the command line (secrets passed as arguments) into every export.
    // OTEL_RESOURCE_ATTRIBUTES is read by telemetryOptionsFromEnv instead.
    resourceDetectors: [],
    textMapPropagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.sampleRatio) }),
    spanProcessors: [spanProcessor],
    metricReaders: [metricReader],
    logRecordProcessors: [logProcessor],
    instrumentations: instrumentations as unknown as NodeSDKConfiguration['instrumentations'],
  });
  sdk.start();
  markEnabled(instrumentations);

  const bounded = async (work: Promise<unknown>, what: string) => {
    if (
      !(await settlesWithin(
        work.catch(() => undefined),
        options.shutdownTimeoutMs,
      ))
    ) {
      logger.warn(
        { endpoint: base, timeoutMs: options.shutdownTimeoutMs },
        `telemetry ${what} timed out; unsent data was dropped`,
      );
    }
  };
  const names = instrumentations.map((i) => i.instrumentationName);
  return handle(
    { enabled: true, endpoint: base, instrumentations: Object.freeze(names) },
    () =>
      bounded(
        Promise.all([spanProcessor, metricReader, logProcessor].map((p) => p.forceFlush())),
        'flush',
      ),
    async () => {
      try {
        await bounded(sdk.shutdown(), 'shutdown');
      } finally {
        // Whatever is still retrying past the bound is dropped (the warning
        // above says so), so nothing holds the process or logs afterwards.
        stopper.stop();
        for (const instrumentation of instrumentations) instrumentation.disable();
        for (const api of [trace, metrics, logs, context, propagation]) api.disable();
      }
    },
  );
}

/**
 * Starts OpenTelemetry for this process on `@opentelemetry/sdk-node`: traces,
 * metrics and logs over OTLP/HTTP to one collector, a
 * `ParentBased(TraceIdRatioBased)` sampler, the service resource (no
 * detectors that copy the command line or environment) and the chosen
 * instrumentations. With no endpoint, or `enabled: false`, it returns a
 * disabled handle and touches no global state. A collector that is down or
 * slow never throws and never delays a request; the outage is logged once.
 * Call it before the modules it instruments are loaded (or use
 * `@plinth/telemetry/register`).
 *
 * @throws OptionsError (`INVALID_OPTIONS`, `TELEMETRY_INSTRUMENTATION_MISSING`) for bad
 *   options; AppError `TELEMETRY_ALREADY_STARTED` when telemetry or another OTel SDK runs.
 *
 * @example
 * ```ts
 * import { startTelemetry } from '@plinth/telemetry';
 *
 * const telemetry = startTelemetry({
 *   service: { name: 'clients', version: '1.4.0', environment: 'production' },
 *   // empty (unset) means disabled
 *   otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '',
 *   sampleRatio: 0.1,
 *   instrumentations: ['http', 'undici', 'pg', 'pino', 'runtime', 'fastify'],
 * });
 * // on SIGTERM, after the server closed:
 * await telemetry.shutdown();
 * ```
 */
export function startTelemetry(options: TelemetryOptions): TelemetryHandle {
  const normalized = normalizeOptions(options);
  const registered = (globalThis as Record<symbol, { trace?: unknown } | undefined>)[
    OTEL_API_GLOBALS
  ]?.trace;
  if (getActive() !== undefined || registered !== undefined) {
    throw new AppError(
      'Telemetry (or another OpenTelemetry SDK) is already started in this process; start it once, first thing at startup, and use getTelemetry() to reach it',
      { code: 'TELEMETRY_ALREADY_STARTED', status: 500 },
    );
  }
  const { enabled, endpoint } = normalized;
  const started =
    enabled && endpoint
      ? startSdk(normalized, endpoint)
      : handle(
          { enabled: false, endpoint: undefined, instrumentations: Object.freeze([]) },
          () => Promise.resolve(),
          () => Promise.resolve(),
        );
  setActive(started);
  return started;
}
