import { invalidOptions, type OptionIssueInput } from '@plinth/errors';
import { MAX_TIMER_MS } from '@plinth/internal';

/** What {@link optionCheck} returns. */
export type OptionCheck = ReturnType<typeof optionCheck>;

/**
 * Collects what is wrong with a developer's options, to report it all at once:
 * `need(ok, path, message)` records a problem when `ok` is false, `ms(value,
 * path, min)` wants a duration `setTimeout` honours (NaN and Infinity fail),
 * `done()` throws them as one `invalidOptions` error (500, INVALID_OPTIONS).
 */
export function optionCheck(subject: string) {
  const issues: OptionIssueInput[] = [];
  const need = (ok: boolean, path: string, message: string) => {
    if (!ok) issues.push({ path, message });
  };
  const ms = (value: unknown, path: string, min = 1) =>
    need(
      typeof value === 'number' && value >= min && value <= MAX_TIMER_MS,
      path,
      `must be a number of ms from ${min} to ${MAX_TIMER_MS}`,
    );
  const done = () => {
    if (issues.length > 0) throw invalidOptions(subject, issues);
  };
  return { need, ms, done };
}
