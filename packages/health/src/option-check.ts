import { invalidOptions, type OptionIssueInput } from '@plinth/errors';
import { MAX_TIMER_MS } from '@plinth/internal';

/** A duration `setTimeout` honours: a number from `min` to 2^31 − 1 ms (NaN and Infinity fail). */
export const isMs = (value: unknown, min = 1): value is number =>
  typeof value === 'number' && value >= min && value <= MAX_TIMER_MS;

/** `must be a number of ms from <min> to 2147483647`. */
export const msRange = (min = 1) => `must be a number of ms from ${min} to ${MAX_TIMER_MS}`;

/**
 * Collects the problems with a developer's options so all are reported at
 * once: `need(ok, path, message)` records one when `ok` is false (and returns
 * `ok`); `done()` throws them as one `invalidOptions` error (500, INVALID_OPTIONS).
 */
export function optionCheck(subject: string) {
  const issues: OptionIssueInput[] = [];
  return {
    need(ok: boolean, path: string, message: string): boolean {
      if (!ok) issues.push({ path, message });
      return ok;
    },
    done(): void {
      if (issues.length > 0) throw invalidOptions(subject, issues);
    },
  };
}
