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
