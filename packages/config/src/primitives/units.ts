import { fail, ok, type ParseResult } from './env-string.js';

/** Parses `<number><unit>` with a unit table; the result must be a safe integer. */
export function parseWithUnit(
  text: string,
  units: Readonly<Record<string, number>>,
  bareUnit: string | undefined,
  reason: string,
): ParseResult<number> {
  const match = /^(\d+(?:\.\d+)?)([a-zA-Z]*)$/.exec(text);
  if (match === null) return fail(reason);
  const unit = (match[2] ?? '').toLowerCase();
  const factor = unit === '' ? (bareUnit === undefined ? undefined : units[bareUnit]) : units[unit];
  if (factor === undefined) return fail(reason);
  const value = Number(match[1]) * factor;
  if (!Number.isSafeInteger(value)) return fail(reason);
  return ok(value);
}

/** Renders `value` with the largest unit that divides it exactly (`0` in the smallest unit). */
export function formatWithUnit(
  value: number,
  units: readonly (readonly [string, number])[],
): string {
  const smallest = units[units.length - 1] as readonly [string, number];
  const [unit, factor] = units.find(([, f]) => value !== 0 && value % f === 0) ?? smallest;
  return `${value / factor}${unit}`;
}

/** Applies inclusive bounds; `show` renders a bound for the message. */
export function bounded(
  result: ParseResult<number>,
  min: number | undefined,
  max: number | undefined,
  show: (value: number) => string,
): ParseResult<number> {
  if (!result.ok) return result;
  if (min !== undefined && result.value < min) return fail(`must be at least ${show(min)}`);
  if (max !== undefined && result.value > max) return fail(`must be at most ${show(max)}`);
  return result;
}
