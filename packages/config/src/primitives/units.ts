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

/** Renders `value` with the largest unit that divides it exactly. */
export function formatWithUnit(
  value: number,
  units: readonly (readonly [string, number])[],
): string {
  for (const [unit, factor] of units) {
    if (value !== 0 && value % factor === 0) return `${value / factor}${unit}`;
  }
  const smallest = units[units.length - 1];
  return smallest === undefined ? String(value) : `${value / smallest[1]}${smallest[0]}`;
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
