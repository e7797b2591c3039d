import type { LogFn, Logger } from 'pino';

type Args = Parameters<LogFn>;
type Method = (...args: unknown[]) => void;

const SPEC = /%([sdifjoO%])/g;

/**
 * printf-style interpolation as pino does it (`%s %d %i %f %j %o %O %%`),
 * done here so the joined message can be scanned as one text: `'%s=%s',
 * 'client_secret', v` only shows its secret once joined. Objects are
 * redacted before they are written as JSON.
 */
export function interpolate(
  template: string,
  args: readonly unknown[],
  redact: (value: unknown) => unknown,
): string {
  let a = 0;
  return template.replace(SPEC, (whole, spec: string) => {
    if (spec === '%') return '%';
    if (a >= args.length) return whole;
    const arg = args[a++];
    try {
      if (spec === 'd' || spec === 'f') return String(Number(arg));
      if (spec === 'i') return String(Math.floor(Number(arg)));
      if (spec === 's') return String(arg);
      if (typeof arg === 'string') return `'${arg}'`;
      if (typeof arg === 'function') return arg.name || '<anonymous>';
      return JSON.stringify(redact(arg)) ?? String(arg);
    } catch {
      return '[Unserializable]';
    }
  });
}

/** The message pino would copy from an error when the call gives none. */
function implicitMessage(first: object, isError: boolean): string | undefined {
  if (isError) return String((first as Error).message);
  const { msg, err } = first as { msg?: unknown; err?: unknown };
  if (msg !== undefined) return undefined;
  return err instanceof Error ? String(err.message) : undefined;
}

/**
 * pino's `logMethod` hook: the message is free text, so it is built here
 * (printf arguments joined in) and scanned as a whole. A message pino would
 * copy from an error (`log.error(err)`) is scanned too; a `msg` field with
 * no message argument becomes the message. A first argument that cannot be
 * inspected (a Proxy whose traps throw) is logged as `'[Unserializable]'`.
 */
export function createLogMethodHook(
  scrub: (message: string) => string,
  redact: (value: unknown) => unknown,
) {
  return function logMethod(this: Logger, args: Args, method: LogFn): void {
    const call = method as unknown as Method;
    const first: unknown = args[0];
    let fields: object | undefined;
    if (typeof first === 'object' && first !== null) {
      try {
        // instanceof also probes a Proxy here, where a throwing trap can be caught.
        const isError = first instanceof Error;
        const implicit = args.length === 1 ? implicitMessage(first, isError) : undefined;
        if (implicit !== undefined) {
          call.call(this, first, scrub(implicit));
          return;
        }
        const msg = (first as { msg?: unknown }).msg;
        if (args.length === 1 && typeof msg === 'string' && !isError) {
          const { msg: _, ...rest } = first as { msg?: unknown };
          call.call(this, rest, scrub(msg));
          return;
        }
      } catch {
        call.call(this, { value: '[Unserializable]' }, ...args.slice(1));
        return;
      }
      fields = first;
    }
    const at = fields === undefined ? 0 : 1;
    const template: unknown = args[at];
    if (typeof template !== 'string') {
      call.apply(this, args as unknown[]);
      return;
    }
    const message = scrub(
      args.length > at + 1 ? interpolate(template, args.slice(at + 1), redact) : template,
    );
    if (fields === undefined) call.call(this, message);
    else call.call(this, fields, message);
  };
}
