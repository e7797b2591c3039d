import { invalidOptions, type OptionIssueInput } from '@plinth/errors';
import {
  type LoggerLike,
  MAX_TIMER_MS,
  type ServiceInfo,
  safeLogger,
  stderrLogger,
} from '@plinth/internal';
import { parseCollectorUrl, TELEMETRY_DEFAULTS } from './defaults.js';
import { BUILTINS } from './instrumentations.js';
import type { InstrumentationSpec, TelemetryOptions } from './types.js';

/** Options after checks and defaults. */
export interface NormalizedOptions {
  service: ServiceInfo;
  endpoint: URL | undefined;
  headers: Record<string, string> | undefined;
  sampleRatio: number;
  instrumentations: readonly InstrumentationSpec[] | undefined;
  resourceAttributes: Record<string, string | number | boolean>;
  logger: Required<LoggerLike>;
  enabled: boolean;
  exportTimeoutMs: number;
  metricIntervalMs: number;
  shutdownTimeoutMs: number;
}

const inRange = (value: unknown, min: number, max: number) =>
  typeof value === 'number' && value >= min && value <= max;

/**
 * Only what would misbehave silently: a missing service name, a URL the
 * exporter cannot use (or one that would leak credentials into logs), numbers
 * out of range, an unknown instrumentation name, and pg parameter recording.
 */
function issuesOf(o: TelemetryOptions): OptionIssueInput[] {
  const issues: OptionIssueInput[] = [];
  if (typeof o.service?.name !== 'string' || o.service.name.trim() === '') {
    issues.push({ path: 'service.name', message: 'is required' });
  }
  if (o.otlpEndpoint && !parseCollectorUrl(o.otlpEndpoint)) {
    issues.push({
      path: 'otlpEndpoint',
      message: 'must be an absolute http(s) URL without credentials (put API keys in headers)',
    });
  }
  if (o.sampleRatio !== undefined && !inRange(o.sampleRatio, 0, 1)) {
    issues.push({ path: 'sampleRatio', message: 'must be a number from 0 to 1' });
  }
  for (const key of ['exportTimeoutMs', 'metricIntervalMs', 'shutdownTimeoutMs'] as const) {
    if (o[key] !== undefined && !inRange(o[key], 1, MAX_TIMER_MS)) {
      issues.push({ path: key, message: 'must be a positive number of milliseconds' });
    }
  }
  o.instrumentations?.forEach((spec, index) => {
    const name = typeof spec === 'string' ? spec : 'name' in spec ? spec.name : undefined;
    if (name !== undefined && !(name in BUILTINS)) {
      issues.push({ path: `instrumentations.${index}`, message: 'is not a known instrumentation' });
    }
    if (typeof spec === 'object' && 'config' in spec && spec.config?.enhancedDatabaseReporting) {
      issues.push({
        path: `instrumentations.${index}.config.enhancedDatabaseReporting`,
        message: 'must not be set: it records SQL parameter values on spans',
      });
    }
  });
  return issues;
}

/** Checks and applies defaults; throws one OptionsError (`INVALID_OPTIONS`) listing each problem. */
export function normalizeOptions(options: TelemetryOptions): NormalizedOptions {
  const issues = issuesOf(options ?? ({} as TelemetryOptions));
  if (issues.length > 0) throw invalidOptions('startTelemetry', issues);
  const d = TELEMETRY_DEFAULTS;
  return {
    service: { ...options.service, name: options.service.name.trim() },
    endpoint: options.otlpEndpoint ? parseCollectorUrl(options.otlpEndpoint) : undefined,
    headers: options.headers,
    sampleRatio: options.sampleRatio ?? d.sampleRatio,
    instrumentations: options.instrumentations,
    resourceAttributes: { ...options.resourceAttributes },
    logger: safeLogger(options.logger ?? stderrLogger()),
    enabled: options.enabled ?? d.enabled,
    exportTimeoutMs: options.exportTimeoutMs ?? d.exportTimeoutMs,
    metricIntervalMs: options.metricIntervalMs ?? d.metricIntervalMs,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? d.shutdownTimeoutMs,
  };
}
