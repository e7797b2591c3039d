import { type LoggerLike, withDeadline } from '@plinth/internal';
import type { OptionCheck } from './option-check.js';
import { CheckTimeoutError, describeFailure } from './output.js';

/** Work to do after the servers closed: flush audit, close pools, stop telemetry, flush logs. */
export interface ShutdownHook {
  /** Used in logs and in {@link ShutdownResult.failedHooks}. */
  name: string;
  /** The work; the signal aborts at the hook's deadline. */
  run: (signal: AbortSignal) => unknown;
  /** Deadline in ms. Default: the shutdown's `hookTimeoutMs`. */
  timeoutMs?: number;
}

/** A hook given as a function (named after the function) or with options. */
export type ShutdownHookInput = ShutdownHook | ((signal: AbortSignal) => unknown);

/**
 * Normalises a hook into a fresh object, reading each property once; a hook
 * that is not a function or `{ name, run }`, or a bad `timeoutMs`, is
 * reported to `check` under `path`.
 */
export function toHook(input: ShutdownHookInput, index: number, check: OptionCheck, path: string) {
  const { name, run, timeoutMs } =
    typeof input === 'function'
      ? { name: input.name, run: input, timeoutMs: undefined }
      : Object(input);
  check.need(typeof run === 'function', path, 'must be a function or { name, run }');
  if (timeoutMs !== undefined) check.ms(timeoutMs, `${path}.timeoutMs`);
  const hook: ShutdownHook = {
    name: typeof name === 'string' && name ? name : `hook#${index + 1}`,
    run,
  };
  if (timeoutMs !== undefined) hook.timeoutMs = timeoutMs;
  return hook;
}

/**
 * Runs hooks one after another in order; a failing or hung hook is logged and
 * the rest still run, whatever the shape of what it threw.
 */
export async function runHooks(
  hooks: readonly ShutdownHook[],
  defaultTimeoutMs: number,
  logger: LoggerLike,
): Promise<string[]> {
  const failed: string[] = [];
  for (const hook of hooks) {
    const timeoutMs = hook.timeoutMs ?? defaultTimeoutMs;
    try {
      await withDeadline(
        (signal) => hook.run(signal),
        timeoutMs,
        () => new CheckTimeoutError(timeoutMs),
      );
      logger.info({ hook: hook.name }, 'shutdown hook done');
    } catch (err) {
      failed.push(hook.name);
      logger.error({ hook: hook.name, reason: describeFailure(err), err }, 'shutdown hook failed');
    }
  }
  return failed;
}
