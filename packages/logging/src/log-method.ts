import type { LogFn, Logger } from 'pino';

type Args = Parameters<LogFn>;

/**
 * pino's `logMethod` hook. When a call gives no message, pino copies the
 * error's raw `message` into `msg` (`log.error(err)`, `log.error({ err })`),
 * bypassing the serializer; pass the scrubbed message instead. String
 * arguments (the message and printf values) have credentials found by shape
 * scrubbed (`log.info('postgres://u:pw@h')`). A first
 * argument that cannot even be inspected (a Proxy whose traps throw) is
 * logged as `'[Unserializable]'` instead of throwing from the log call.
 */
export function createLogMethodHook(scrub: (message: string) => string) {
  return function logMethod(this: Logger, args: Args, method: LogFn): void {
    const first: unknown = args[0];
    if (typeof first === 'object' && first !== null) {
      let message: unknown;
      try {
        if (first instanceof Error) {
          if (args.length === 1) message = first.message;
        } else if (args.length === 1 && (first as { msg?: unknown }).msg === undefined) {
          const err = (first as { err?: unknown }).err;
          if (err instanceof Error) message = err.message;
        }
      } catch {
        const rest = args.slice(1) as unknown[];
        (method as (...a: unknown[]) => void).call(this, { value: '[Unserializable]' }, ...rest);
        return;
      }
      if (typeof message === 'string') {
        method.call(this, first, scrub(message));
        return;
      }
    }
    // The message and printf arguments are free text: scrub credentials in them.
    let clean: unknown[] | undefined;
    for (let i = 0; i < args.length; i++) {
      const arg: unknown = args[i];
      if (typeof arg !== 'string') continue;
      const scrubbed = scrub(arg);
      if (scrubbed !== arg) {
        clean ??= args.slice();
        clean[i] = scrubbed;
      }
    }
    (method as (...a: unknown[]) => void).apply(this, clean ?? args);
  };
}
