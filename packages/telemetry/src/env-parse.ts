import type { Issues } from './validate-fields.js';

/**
 * Parses the OTel `key=value,key2=value2` list format (W3C baggage style, values
 * percent-encoded) used by OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_HEADERS.
 * Problems are reported by variable name and entry position, never by value.
 */
export function parseKeyValueList(
  issues: Issues,
  name: string,
  raw: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = raw.split(',');
  entries.forEach((entry, index) => {
    if (entry.trim() === '') return;
    const eq = entry.indexOf('=');
    const key = eq > 0 ? entry.slice(0, eq).trim() : '';
    if (key === '') {
      issues.push({
        path: name,
        message: `${name} entry ${index + 1} is not key=value`,
        code: 'invalid_format',
      });
      return;
    }
    try {
      out[decodeURIComponent(key)] = decodeURIComponent(entry.slice(eq + 1).trim());
    } catch {
      issues.push({
        path: name,
        message: `${name} entry ${index + 1} has invalid percent-encoding`,
        code: 'invalid_format',
      });
    }
  });
  return out;
}

const SAMPLERS: Record<string, number | 'arg'> = {
  parentbased_traceidratio: 'arg',
  parentbased_always_on: 1,
  parentbased_always_off: 0,
};

/** OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG → a ratio for ParentBased(TraceIdRatioBased). */
export function parseSampler(
  issues: Issues,
  sampler: string | undefined,
  arg: string | undefined,
): number | undefined {
  const kind = sampler?.trim().toLowerCase() || 'parentbased_traceidratio';
  const fixed = SAMPLERS[kind];
  if (fixed === undefined) {
    issues.push({
      path: 'OTEL_TRACES_SAMPLER',
      message: `OTEL_TRACES_SAMPLER must be one of ${Object.keys(SAMPLERS).join(', ')}`,
      code: 'invalid_enum',
    });
    return undefined;
  }
  if (fixed !== 'arg') return fixed;
  if (arg === undefined || arg.trim() === '') return undefined;
  const ratio = Number(arg);
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    issues.push({
      path: 'OTEL_TRACES_SAMPLER_ARG',
      message: 'OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1',
      code: 'out_of_range',
    });
    return undefined;
  }
  return ratio;
}

/** OTEL_SDK_DISABLED: "true" disables, "false" or empty does not (case-insensitive). */
export function parseDisabled(issues: Issues, raw: string | undefined): boolean {
  const value = raw?.trim().toLowerCase() ?? '';
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  issues.push({
    path: 'OTEL_SDK_DISABLED',
    message: 'OTEL_SDK_DISABLED must be true or false',
    code: 'invalid_type',
  });
  return false;
}
