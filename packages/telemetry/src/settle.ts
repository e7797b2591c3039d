/** Resolves true if `promise` has not settled (either way) within `ms`. Never rejects. */
export function settlesLate(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(true), ms);
    timer.unref?.();
    const done = () => {
      clearTimeout(timer);
      resolve(false);
    };
    promise.then(done, done);
  });
}
