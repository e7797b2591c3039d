import { ValidationError } from '@plinth/errors';
import { TELEMETRY_DEFAULTS } from './defaults.js';
import { parseCollectorUrl, tracesUrlFromBase } from './endpoint.js';
import type { ResourceAttributeValue, TelemetryLoggerLike } from './types.js';
import { checkResourceAttributes } from './validate-attributes.js';
import {
  checkHeaders,
  checkNumber,
  checkText,
  type Issues,
  isPlainObject,
} from './validate-fields.js';
import { checkInstrumentations, type NormalizedSpec } from './validate-instrumentations.js';

/** Options after validation and defaults. */
export interface NormalizedOptions {
  serviceName: string;
  serviceVersion: string | undefined;
  environment: string | undefined;
  tracesUrl: string | undefined;
  headers: Record<string, string> | undefined;
  sampleRatio: number;
  instrumentations: NormalizedSpec[] | undefined;
  resourceAttributes: Record<string, ResourceAttributeValue>;
  logger: TelemetryLoggerLike | undefined;
  enabled: boolean;
  exportTimeoutMs: number;
  shutdownTimeoutMs: number;
}

const KNOWN_KEYS = new Set([
  'serviceName',
  'serviceVersion',
  'environment',
  'otlpEndpoint',
  'otlpTracesEndpoint',
  'headers',
  'sampleRatio',
  'instrumentations',
  'resourceAttributes',
  'logger',
  'enabled',
  'exportTimeoutMs',
  'shutdownTimeoutMs',
]);

function checkEndpoint(issues: Issues, path: string, value: unknown): URL | undefined {
  if (value === undefined || value === '') return undefined;
  const url =
    typeof value === 'string' || value instanceof URL ? parseCollectorUrl(value) : undefined;
  if (url === undefined) {
    issues.push({
      path,
      message: `${path} must be an absolute http(s) URL without credentials (put API keys in headers)`,
      code: 'invalid_url',
    });
  }
  return url;
}

function checkLogger(issues: Issues, value: unknown): TelemetryLoggerLike | undefined {
  if (value === undefined) return undefined;
  const ok =
    typeof value === 'object' &&
    value !== null &&
    typeof (value as TelemetryLoggerLike).warn === 'function';
  if (!ok)
    issues.push({
      path: 'logger',
      message: 'logger must have a warn(obj, msg) method',
      code: 'invalid_type',
    });
  return ok ? (value as TelemetryLoggerLike) : undefined;
}

function checkBoolean(issues: Issues, path: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    issues.push({ path, message: `${path} must be a boolean`, code: 'invalid_type' });
    return fallback;
  }
  return value;
}

/** Validates every option at once; throws one ValidationError listing each problem. */
export function normalizeOptions(options: unknown): NormalizedOptions {
  if (!isPlainObject(options)) {
    throw new ValidationError('startTelemetry needs an options object with at least serviceName', {
      code: 'TELEMETRY_OPTIONS_INVALID',
      errors: [{ path: '', message: 'options must be an object', code: 'invalid_type' }],
    });
  }
  const issues: Issues = [];
  for (const key of Object.keys(options)) {
    if (!KNOWN_KEYS.has(key)) {
      const path = /^[A-Za-z0-9_]{1,64}$/.test(key) ? key : '(unknown key)';
      issues.push({ path, message: `unknown telemetry option ${path}`, code: 'unrecognized_key' });
    }
  }
  const base = checkEndpoint(issues, 'otlpEndpoint', options.otlpEndpoint);
  const traces = checkEndpoint(issues, 'otlpTracesEndpoint', options.otlpTracesEndpoint);
  const normalized: NormalizedOptions = {
    serviceName: checkText(issues, 'serviceName', options.serviceName, true) ?? '',
    serviceVersion: checkText(issues, 'serviceVersion', options.serviceVersion, false),
    environment: checkText(issues, 'environment', options.environment, false),
    tracesUrl: traces?.href ?? (base === undefined ? undefined : tracesUrlFromBase(base)),
    headers: checkHeaders(issues, options.headers),
    sampleRatio: checkNumber(
      issues,
      'sampleRatio',
      options.sampleRatio,
      0,
      1,
      TELEMETRY_DEFAULTS.sampleRatio,
    ),
    instrumentations: checkInstrumentations(issues, options.instrumentations),
    resourceAttributes: checkResourceAttributes(issues, options.resourceAttributes),
    logger: checkLogger(issues, options.logger),
    enabled: checkBoolean(issues, 'enabled', options.enabled, TELEMETRY_DEFAULTS.enabled),
    exportTimeoutMs: checkNumber(
      issues,
      'exportTimeoutMs',
      options.exportTimeoutMs,
      1,
      600_000,
      TELEMETRY_DEFAULTS.exportTimeoutMs,
    ),
    shutdownTimeoutMs: checkNumber(
      issues,
      'shutdownTimeoutMs',
      options.shutdownTimeoutMs,
      1,
      600_000,
      TELEMETRY_DEFAULTS.shutdownTimeoutMs,
    ),
  };
  if (issues.length > 0) {
    const list = issues.map((issue) => issue.message).join('; ');
    throw new ValidationError(`Invalid telemetry options: ${list}`, {
      code: 'TELEMETRY_OPTIONS_INVALID',
      errors: issues,
    });
  }
  return normalized;
}
