import type { LoggerLike } from './logger.js';
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

const MAX_TIMER = 2_147_483_647;

/** Why a hook's `timeoutMs` is unusable, or undefined when it is absent or valid. */
export function hookTimeoutProblem(timeoutMs: unknown): string | undefined {
  if (timeoutMs === undefined) return undefined;
  if (
    typeof timeoutMs !== 'number' ||
    !Number.isFinite(timeoutMs) ||
    timeoutMs < 1 ||
    timeoutMs > MAX_TIMER
  ) {
    return `timeoutMs must be a finite number of ms from 1 to ${MAX_TIMER}`;
  }
  return undefined;
}

/**
 * Normalises a hook into a fresh object (each property read once). Undefined
 * when it is neither a function nor `{ name, run }`; `timeoutMs` is checked
 * separately with {@link hookTimeoutProblem}.
 */
export function toHook(input: ShutdownHookInput, index: number): ShutdownHook | undefined {
  if (typeof input === 'function') return { name: input.name || `hook#${index + 1}`, run: input };
  if (typeof input === 'object' && input !== null) {
    const { name, run, timeoutMs } = input;
    if (typeof run !== 'function') return undefined;
    return {
      name: typeof name === 'string' && name ? name : `hook#${index + 1}`,
      run,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    };
  }
  return undefined;
}

function runOne(hook: ShutdownHook, timeoutMs: number): Promise<void> {
  const controller = new AbortController();
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      const error = new CheckTimeoutError(timeoutMs);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
    const finish = (fn: () => void) => {
      clearTimeout(timer);
      fn();
    };
    try {
      Promise.resolve(hook.run(controller.signal)).then(
        () => finish(resolve),
        (err: unknown) => finish(() => reject(err)),
      );
    } catch (err) {
      finish(() => reject(err));
    }
  });
}

/** Runs hooks one after another in order; a failing or hung hook is logged and the rest still run. */
export async function runHooks(
  hooks: readonly ShutdownHook[],
  defaultTimeoutMs: number,
  logger: LoggerLike,
): Promise<string[]> {
  const failed: string[] = [];
  for (const hook of hooks) {
    const timeoutMs = hook.timeoutMs ?? defaultTimeoutMs;
    try {
      await runOne(hook, timeoutMs);
      logger.info({ hook: hook.name }, 'shutdown hook done');
    } catch (err) {
      failed.push(hook.name);
      logger.error({ hook: hook.name, reason: describeFailure(err), err }, 'shutdown hook failed');
    }
  }
  return failed;
}
