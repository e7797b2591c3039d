import { requireOptionsObject } from '@plinth/errors';
import { type EnvPrimitive, envPrimitive } from './env-string.js';
import { bounded, formatWithUnit, parseWithUnit } from './units.js';

const UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};
/** Largest first, for rendering. */
const ORDER = Object.entries(UNITS).reverse();

/** Bounds for {@link duration}, in milliseconds (inclusive). */
export interface DurationOptions {
  min?: number;
  max?: number;
}

/** Renders milliseconds as the largest exact unit (`30000` → `30s`). */
export const formatDuration = (ms: number): string => formatWithUnit(ms, ORDER);

/**
 * Duration from an env string → milliseconds: a number and a unit, `ms`, `s`,
 * `m`, `h` or `d` (`250ms`, `5s`, `1.5s`, `2m`, `1h`). A bare number is an
 * error, because seconds-versus-milliseconds mistakes are the classic bug.
 *
 * @example
 * ```ts
 * import { duration } from '@plinth/config';
 *
 * const timeout = duration({ max: 60_000 }).default(5_000); // "5s" in .env
 * ```
 */
export function duration(options: DurationOptions = {}): EnvPrimitive<number> {
  requireOptionsObject(options, 'duration', 'optional min and max');
  const reason = 'must be a duration with a unit (e.g. 250ms, 5s, 2m, 1h)';
  return envPrimitive(
    (text) =>
      bounded(
        parseWithUnit(text, UNITS, undefined, reason),
        options.min,
        options.max,
        formatDuration,
      ),
    { format: (value) => formatDuration(value as number), hint: 'duration, e.g. 5s' },
  );
}
