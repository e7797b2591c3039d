import type { InstrumentationLike, InstrumentationName, InstrumentationSpec } from './types.js';
import { type Issues, isPlainObject } from './validate-fields.js';

export const INSTRUMENTATION_NAMES: readonly InstrumentationName[] = [
  'http',
  'pg',
  'express',
  'fastify',
];

/** A built-in by name (with its config) or a caller-provided instance. */
export type NormalizedSpec =
  | { kind: 'builtin'; name: InstrumentationName; config: Record<string, unknown> | undefined }
  | { kind: 'instance'; instance: InstrumentationLike };

function isName(value: unknown): value is InstrumentationName {
  return typeof value === 'string' && (INSTRUMENTATION_NAMES as readonly string[]).includes(value);
}

function isInstance(value: unknown): value is InstrumentationLike {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.instrumentationName === 'string' &&
    typeof v.enable === 'function' &&
    typeof v.disable === 'function' &&
    typeof v.setTracerProvider === 'function' &&
    typeof v.getConfig === 'function'
  );
}

function normalizeOne(issues: Issues, path: string, spec: unknown): NormalizedSpec | undefined {
  if (isName(spec)) return { kind: 'builtin', name: spec, config: undefined };
  if (isInstance(spec)) return { kind: 'instance', instance: spec };
  if (isPlainObject(spec) && isName(spec.name)) {
    if (spec.config === undefined || isPlainObject(spec.config)) {
      return {
        kind: 'builtin',
        name: spec.name,
        config: spec.config as Record<string, unknown> | undefined,
      };
    }
    issues.push({
      path: `${path}.config`,
      message: `${path}.config must be a plain object`,
      code: 'invalid_type',
    });
    return undefined;
  }
  issues.push({
    path,
    message: `${path} must be one of ${INSTRUMENTATION_NAMES.join(', ')}, { name, config } or an OpenTelemetry instrumentation instance`,
    code: 'invalid_instrumentation',
  });
  return undefined;
}

/** undefined means "the default set". Duplicated names are rejected. */
export function checkInstrumentations(
  issues: Issues,
  value: unknown,
): NormalizedSpec[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    issues.push({
      path: 'instrumentations',
      message: 'instrumentations must be an array',
      code: 'invalid_type',
    });
    return undefined;
  }
  const out: NormalizedSpec[] = [];
  const seen = new Set<string>();
  value.forEach((spec: InstrumentationSpec | unknown, index) => {
    const normalized = normalizeOne(issues, `instrumentations.${index}`, spec);
    if (normalized === undefined) return;
    const key =
      normalized.kind === 'builtin' ? normalized.name : normalized.instance.instrumentationName;
    if (normalized.kind === 'builtin' && seen.has(key)) {
      issues.push({
        path: `instrumentations.${index}`,
        message: `instrumentation ${key} is listed twice`,
        code: 'duplicate',
      });
      return;
    }
    seen.add(key);
    out.push(normalized);
  });
  return out;
}
