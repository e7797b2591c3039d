import type { ResourceAttributeValue } from './types.js';
import { type Issues, isPlainObject } from './validate-fields.js';

const KEY = /^[A-Za-z0-9_.\-/]{1,255}$/;

function isPrimitive(value: unknown): value is string | number | boolean {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

function isAttributeValue(value: unknown): value is ResourceAttributeValue {
  if (isPrimitive(value)) return true;
  if (!Array.isArray(value) || value.length === 0) return Array.isArray(value);
  const kind = typeof value[0];
  return value.every((item) => isPrimitive(item) && typeof item === kind);
}

export function checkResourceAttributes(
  issues: Issues,
  value: unknown,
): Record<string, ResourceAttributeValue> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) {
    issues.push({
      path: 'resourceAttributes',
      message: 'resourceAttributes must be a plain object',
      code: 'invalid_type',
    });
    return {};
  }
  const out: Record<string, ResourceAttributeValue> = {};
  for (const [key, attr] of Object.entries(value)) {
    if (!KEY.test(key)) {
      issues.push({
        path: 'resourceAttributes',
        message: 'resourceAttributes keys must match [A-Za-z0-9_./-]{1,255}',
        code: 'invalid_key',
      });
    } else if (!isAttributeValue(attr)) {
      issues.push({
        path: `resourceAttributes.${key}`,
        message: `resourceAttributes.${key} must be a string, finite number, boolean or a homogeneous array of them`,
        code: 'invalid_type',
      });
    } else {
      out[key] = attr;
    }
  }
  return out;
}
