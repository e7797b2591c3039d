import {
  invalidOptions,
  isOptionsObject,
  type OptionIssueInput,
  requireOptionsObject,
} from '@plinth/errors';
import {
  isLoggerLike,
  type LoggerLike,
  MAX_TIMER_MS,
  type ServiceInfo,
  safeLogger,
  stderrLogger,
} from '@plinth/internal';
import { BAD_HEADER_VALUE, parseCollectorUrl, TELEMETRY_DEFAULTS } from './defaults.js';
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

// RFC 9110 token.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Never names or echoes a header value: they are credentials. */
function headerIssues(headers: unknown): OptionIssueInput[] {
  if (!isOptionsObject(headers)) {
    return [{ path: 'headers', message: 'must be an object of header name to string value' }];
  }
  const issues: OptionIssueInput[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) {
      issues.push({ path: 'headers', message: 'has a name that is not a valid HTTP header name' });
    } else if (typeof value !== 'string') {
      issues.push({ path: `headers.${name}`, message: 'must be a string' });
    } else if (BAD_HEADER_VALUE.test(value)) {
      issues.push({
        path: `headers.${name}`,
        message: 'must not contain control characters (CR, LF, NUL)',
      });
    }
  }
  return issues;
}

const isInstrumentationLike = (spec: object) =>
  'instrumentationName' in spec &&
  typeof (spec as { enable?: unknown }).enable === 'function' &&
  typeof (spec as { disable?: unknown }).disable === 'function';

function instrumentationIssues(specs: unknown): OptionIssueInput[] {
  if (!Array.isArray(specs)) {
    return [
      {
        path: 'instrumentations',
        message: 'must be an array of names, { name, config } or instances',
      },
    ];
  }
  const issues: OptionIssueInput[] = [];
  specs.forEach((spec: unknown, index) => {
    const path = `instrumentations.${index}`;
    if (typeof spec === 'object' && spec !== null && isInstrumentationLike(spec)) return;
    const name = typeof spec === 'string' ? spec : isOptionsObject(spec) ? spec.name : undefined;
    if (typeof name !== 'string' || !Object.hasOwn(BUILTINS, name)) {
      issues.push({
        path,
        message: 'is not a known instrumentation name, { name, config } or instance',
      });
      return;
    }
    if (!isOptionsObject(spec) || spec.config === undefined) return;
    if (!isOptionsObject(spec.config)) {
      issues.push({ path: `${path}.config`, message: 'must be an object' });
    } else if (spec.config.enhancedDatabaseReporting) {
      issues.push({
        path: `${path}.config.enhancedDatabaseReporting`,
        message: 'must not be set: it records SQL parameter values on spans',
      });
    }
  });
  return issues;
}

function resourceAttributeIssues(attributes: unknown): OptionIssueInput[] {
  const ok = ['string', 'number', 'boolean'];
  return isOptionsObject(attributes) &&
    Object.values(attributes).every((v) => ok.includes(typeof v))
    ? []
    : [
        {
          path: 'resourceAttributes',
          message: 'must be an object of string, number or boolean values',
        },
      ];
}

/**
 * Only what would misbehave silently: a missing service name, a URL the
 * exporter cannot use (or one that would leak credentials into logs), numbers
 * out of range, wrong types (a string `enabled`, `headers` or
 * `instrumentations`, a logger without methods), header values that cannot
 * be sent, an unknown instrumentation name, and pg parameter recording.
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
  if (o.enabled !== undefined && typeof o.enabled !== 'boolean') {
    issues.push({ path: 'enabled', message: 'must be true or false' });
  }
  if (o.headers !== undefined) issues.push(...headerIssues(o.headers));
  if (o.logger !== undefined && !isLoggerLike(o.logger)) {
    issues.push({ path: 'logger', message: 'must have error, warn and info methods' });
  }
  if (o.resourceAttributes !== undefined) {
    issues.push(...resourceAttributeIssues(o.resourceAttributes));
  }
  if (o.sampleRatio !== undefined && !inRange(o.sampleRatio, 0, 1)) {
    issues.push({ path: 'sampleRatio', message: 'must be a number from 0 to 1' });
  }
  for (const key of ['exportTimeoutMs', 'metricIntervalMs', 'shutdownTimeoutMs'] as const) {
    if (o[key] !== undefined && !inRange(o[key], 1, MAX_TIMER_MS)) {
      issues.push({ path: key, message: 'must be a positive number of milliseconds' });
    }
  }
  if (o.instrumentations !== undefined) {
    issues.push(...instrumentationIssues(o.instrumentations));
  }
  return issues;
}

/** Checks and applies defaults; throws one OptionsError (`INVALID_OPTIONS`) listing each problem. */
export function normalizeOptions(options: TelemetryOptions): NormalizedOptions {
  const issues = issuesOf(requireOptionsObject(options, 'startTelemetry', 'a service name'));
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
