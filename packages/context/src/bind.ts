import { AsyncResource } from 'node:async_hooks';

/**
 * Capture the async context active now (the Plinth request context and every
 * other AsyncLocalStorage, e.g. the OpenTelemetry span) in an `AsyncResource`
 * (the stable API behind `AsyncLocalStorage.bind`) and return a function
 * that always runs `fn` inside it. Use it for callback and `EventEmitter`
 * APIs that call back from a pooled or foreign async resource, and for a
 * middleware that calls `next` from a stream event
 * (`parse(req, res, bindContext(next))`). `this` and
 * arguments pass through. Keep a reference to the bound function if you need
 * to `off()` it later.
 *
 * @example
 * ```ts
 * import { bindContext } from '@plinth/context';
 *
 * socket.on('data', bindContext((chunk: Buffer) => log.info({ size: chunk.length }, 'chunk')));
 * ```
 */
export function bindContext<F extends (...args: never[]) => unknown>(fn: F): F {
  return AsyncResource.bind(fn as unknown as (...args: unknown[]) => unknown) as unknown as F;
}
