/** The largest delay `setTimeout` honours (2^31 − 1 ms); longer ones fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/** Resolves after `ms`. `unref: true` lets the process exit while it waits. */
export function delay(ms: number, { unref = false }: { unref?: boolean } = {}): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, Math.min(Math.max(0, ms), MAX_TIMER_MS));
    if (unref) timer.unref?.();
  });
}

/**
 * Resolves `true` if `promise` settles (either way) within `ms`, `false`
 * otherwise. Never rejects; the timer does not keep the process alive.
 */
export function settlesWithin(promise: PromiseLike<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), Math.min(Math.max(0, ms), MAX_TIMER_MS));
    timer.unref?.();
    const done = () => {
      clearTimeout(timer);
      resolve(true);
    };
    promise.then(done, done);
  });
}

/**
 * Full-jitter exponential backoff (AWS architecture blog): uniform in
 * `[0, min(capMs, baseMs · 2^attempt)]`, `attempt` counting from 0.
 */
export function backoffMs(attempt: number, baseMs: number, capMs: number): number {
  return Math.random() * Math.min(capMs, baseMs * 2 ** attempt);
}

/**
 * Runs `task` with a deadline: settles as `task` does, or, when `ms` pass
 * first, aborts the signal `task` was given with `timeoutError()` and rejects
 * with that same error. A synchronous throw becomes a rejection; the timer
 * (which keeps the process alive) is cleared as soon as `task` settles, and a
 * late settlement is ignored, never an unhandled rejection.
 */
export function withDeadline<T>(
  task: (signal: AbortSignal) => T | PromiseLike<T>,
  ms: number,
  timeoutError: () => Error,
): Promise<Awaited<T>> {
  const controller = new AbortController();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => {
        const error = timeoutError();
        controller.abort(error);
        reject(error);
      },
      Math.min(Math.max(0, ms), MAX_TIMER_MS),
    );
    new Promise<T>((run) => run(task(controller.signal))).then(
      (value) => {
        clearTimeout(timer);
        resolve(value as Awaited<T>);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
