import { requireOptionsObject } from '@plinth/errors';
import { requireOption } from '../option-guards.js';
import { type EnvPrimitive, envPrimitive, fail, ok, type ParseResult } from './env-string.js';

/** Bounds for {@link int} and {@link num}; both inclusive. */
export interface RangeOptions {
  min?: number;
  max?: number;
}

const INTEGER = /^[+-]?\d+$/;

/** Refuses bounds that are not finite numbers, or a `min` above `max` (nothing would pass). */
function checkRange(subject: string, options: RangeOptions): RangeOptions {
  const { min, max } = requireOptionsObject(options, subject, 'optional min and max');
  for (const [path, value] of [
    ['min', min],
    ['max', max],
  ] as const)
    requireOption(
      value === undefined || Number.isFinite(value),
      subject,
      path,
      'must be a finite number',
    );
  requireOption(
    min === undefined || max === undefined || min <= max,
    subject,
    'min',
    'must not be greater than max',
  );
  return options;
}
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function inRange(value: number, kind: string, { min, max }: RangeOptions): ParseResult<number> {
  if (min !== undefined && max !== undefined && (value < min || value > max)) {
    return fail(`must be ${kind} between ${min} and ${max}`);
  }
  if (min !== undefined && value < min) return fail(`must be ${kind} ≥ ${min}`);
  if (max !== undefined && value > max) return fail(`must be ${kind} ≤ ${max}`);
  return ok(value);
}

/**
 * Safe integer from an env string (decimal digits with an optional sign; no
 * `1e3`, `0x10`, `1.0` or `_`), optionally bounded.
 *
 * @example
 * ```ts
 * import { int } from '@plinth/config';
 *
 * const poolMax = int({ min: 1, max: 100 }).default(10);
 * ```
 */
export function int(options: RangeOptions = {}): EnvPrimitive<number> {
  checkRange('int', options);
  return envPrimitive(
    (text) => {
      const value = Number(text);
      if (!INTEGER.test(text) || !Number.isSafeInteger(value)) return fail('must be an integer');
      return inRange(value, 'an integer', options);
    },
    { format: String, hint: 'integer' },
  );
}

/**
 * Finite decimal number from an env string (`0.25`, `-3`, `1e-3`), optionally
 * bounded. No `Infinity`, `NaN`, hex or empty string.
 *
 * @example
 * ```ts
 * import { num } from '@plinth/config';
 *
 * const ratio = num({ min: 0, max: 1 }).default(1);
 * ```
 */
export function num(options: RangeOptions = {}): EnvPrimitive<number> {
  checkRange('num', options);
  return envPrimitive(
    (text) => {
      const value = Number(text);
      if (!DECIMAL.test(text) || !Number.isFinite(value)) return fail('must be a number');
      return inRange(value, 'a number', options);
    },
    { format: String, hint: 'number' },
  );
}

/** Options for {@link port}. */
export interface PortOptions {
  /** Accept `0` ("any free port", handy in tests). Default `false`. */
  allowZero?: boolean;
}

/**
 * TCP port from an env string: an integer 1–65535 (0–65535 with `allowZero`).
 *
 * @example
 * ```ts
 * import { port } from '@plinth/config';
 *
 * const PORT = port().default(3000);
 * ```
 */
export function port(options: PortOptions = {}): EnvPrimitive<number> {
  requireOptionsObject(options, 'port', 'optional allowZero');
  const min = options.allowZero === true ? 0 : 1;
  return envPrimitive(
    (text) => {
      const value = Number(text);
      if (!INTEGER.test(text) || value < min || value > 65535) {
        return fail(`must be a port number (${min}–65535)`);
      }
      return ok(value);
    },
    { format: String, hint: 'port' },
  );
}
