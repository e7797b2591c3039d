import type { ValidationIssue } from '@plinth/errors';

export type Issues = ValidationIssue[];

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
// RFC 9110 token characters.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function checkText(
  issues: Issues,
  path: string,
  value: unknown,
  required: boolean,
): string | undefined {
  if (value === undefined) {
    if (required) issues.push({ path, message: `${path} is required`, code: 'required' });
    return undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    issues.push({ path, message: `${path} must be a non-empty string`, code: 'invalid_type' });
    return undefined;
  }
  if (value.length > 256 || hasControlCharacter(value)) {
    issues.push({
      path,
      message: `${path} must be at most 256 characters without control characters`,
      code: 'invalid_string',
    });
    return undefined;
  }
  return value.trim();
}

export function checkNumber(
  issues: Issues,
  path: string,
  value: unknown,
  min: number,
  max: number,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    issues.push({
      path,
      message: `${path} must be a number from ${min} to ${max}`,
      code: 'out_of_range',
    });
    return fallback;
  }
  return value;
}

/** Header names are checked; values only for type and CR/LF. Values never appear in messages. */
export function checkHeaders(issues: Issues, value: unknown): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) {
    issues.push({
      path: 'headers',
      message: 'headers must be a plain object of strings',
      code: 'invalid_type',
    });
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const [name, headerValue] of Object.entries(value)) {
    const safeName = HEADER_NAME.test(name) && name.length <= 128 ? name : undefined;
    const path = safeName === undefined ? 'headers' : `headers.${safeName}`;
    if (safeName === undefined) {
      issues.push({
        path,
        message: 'headers contains an invalid header name',
        code: 'invalid_header_name',
      });
    } else if (typeof headerValue !== 'string' || /[\r\n\0]/.test(headerValue)) {
      issues.push({
        path,
        message: `header ${safeName} must be a string without CR, LF or NUL (value not shown)`,
        code: 'invalid_header_value',
      });
    } else {
      out[safeName] = headerValue;
    }
  }
  return out;
}
