import { createRequire } from 'node:module';
import pino, { type DestinationStream } from 'pino';

type Prettify = (line: string) => string;
type PrettyFactory = (options: Record<string, unknown>) => Prettify;

let cached: PrettyFactory | null | undefined;

/** pino-pretty's `prettyFactory` when installed, else `null` (it is an optional peer). */
export function loadPretty(): PrettyFactory | null {
  if (cached === undefined) {
    try {
      const mod = createRequire(import.meta.url)('pino-pretty') as {
        prettyFactory?: PrettyFactory;
      };
      cached = typeof mod.prettyFactory === 'function' ? mod.prettyFactory : null;
    } catch {
      cached = null;
    }
  }
  return cached;
}

type Target = DestinationStream & { flush?: (cb: (err?: Error) => void) => void };

/**
 * A synchronous pretty-printing destination: each JSON line is formatted in
 * place and written to `destination` (default: stdout, synchronously), so
 * nothing waits in a worker thread or a pipe when the process exits.
 */
export function prettyStream(factory: PrettyFactory, destination: DestinationStream | undefined) {
  const target: Target = destination ?? pino.destination({ dest: 1, sync: true });
  const prettify = factory({
    colorize: destination === undefined && process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,service,version,env',
  });
  return {
    write(line: string) {
      target.write(prettify(line));
    },
    flush(cb: (err?: Error) => void) {
      if (typeof target.flush === 'function') target.flush(cb);
      else cb();
    },
  };
}
