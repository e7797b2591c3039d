import { invalidOptions } from '@plinth/errors';
import { delay, settlesWithin } from '@plinth/internal';
import { runHooks, type ShutdownHookInput, toHook } from './hooks.js';
import { optionCheck } from './option-check.js';
import { trackServer } from './server-drain.js';
import { resolveShutdownOptions, type ShutdownOptions } from './shutdown-options.js';

/** What a shutdown did. `ok` is what the exit code reports (0 when `true`). */
export interface ShutdownResult {
  ok: boolean;
  /** Some connections were still open at the deadline and were destroyed. */
  forced: boolean;
  /** Names of hooks that threw, rejected or timed out, in order. */
  failedHooks: string[];
  /** Signal that started the shutdown, or `'manual'`. */
  reason: string;
}

/** Controls a graceful shutdown; create with {@link createShutdown}. */
export interface Shutdown {
  /** Starts the sequence (idempotent: later calls return the same promise). */
  shutdown(reason?: string): Promise<ShutdownResult>;
  /** Registers a hook after creation; hooks run in registration order. */
  addHook(hook: ShutdownHookInput): void;
  /** Whether the sequence has started. */
  readonly started: boolean;
  /** Removes the signal handlers (the sequence itself is not cancelled). */
  dispose(): void;
}

/**
 * Graceful shutdown for `node:http` servers: on SIGTERM/SIGINT (or
 * `shutdown()`), readiness fails at once, the drain delay lets load balancers
 * notice, the servers stop accepting, idle keep-alive sockets close, in-flight
 * requests get until `timeoutMs`, hooks run in order, and the exit code says
 * whether everything went cleanly. A second signal forces exit.
 *
 * @example
 * ```ts
 * import { createHealth, createShutdown, postgresCheck } from '@plinth/health';
 *
 * const health = createHealth({ checks: { postgres: postgresCheck(db) } });
 * createShutdown({
 *   servers: [server],
 *   health,
 *   drainDelayMs: 15_000,
 *   hooks: [{ name: 'db', run: () => db.close() }, { name: 'logger', run: () => logger.flush() }],
 * });
 * ```
 */
export function createShutdown(options?: ShutdownOptions): Shutdown {
  const opts = resolveShutdownOptions(options);
  const { logger } = opts;
  const servers = opts.servers.map(trackServer);
  let running: Promise<ShutdownResult> | undefined;

  const exit = (code: number) => {
    if (opts.exit !== false) opts.exit(code);
  };

  async function sequence(reason: string): Promise<ShutdownResult> {
    const inFlight = () => servers.reduce((n, s) => n + s.inFlight, 0);
    try {
      opts.health?.beginShutdown();
    } catch {
      // The sequence never throws: servers still close and hooks still run.
      logger.error({}, 'health.beginShutdown threw; readiness may not be failing');
    }
    for (const s of servers) s.startDraining();
    logger.info(
      { reason, drainDelayMs: opts.drainDelayMs, inFlight: inFlight() },
      'shutdown started: readiness failing',
    );
    if (opts.drainDelayMs > 0) await delay(opts.drainDelayMs);

    const closed = Promise.all(servers.map((s) => s.stop()));
    logger.info(
      { inFlight: inFlight(), timeoutMs: opts.timeoutMs },
      'stopped accepting connections',
    );
    const forced = !(await settlesWithin(closed, opts.timeoutMs));
    if (forced) {
      logger.warn({ inFlight: inFlight() }, 'deadline passed: destroying remaining connections');
      for (const s of servers) s.destroy();
      // Upgraded sockets are not tracked by node:http; do not wait on them forever.
      await settlesWithin(closed, 1000);
    }

    const failedHooks = await runHooks(hooks, opts.hookTimeoutMs, logger);
    const result: ShutdownResult = {
      ok: !forced && failedHooks.length === 0,
      forced,
      failedHooks,
      reason,
    };
    logger[result.ok ? 'info' : 'error']({ forced, failedHooks }, 'shutdown complete');
    dispose();
    exit(result.ok ? 0 : 1);
    return result;
  }

  function shutdown(reason = 'manual'): Promise<ShutdownResult> {
    running ??= sequence(reason);
    return running;
  }

  const hooks = [...opts.hooks];
  const onSignal = (signal: NodeJS.Signals) => {
    if (running === undefined) {
      void shutdown(signal);
      return;
    }
    logger.error({ signal }, 'second signal: forcing exit');
    for (const s of servers) s.destroy();
    exit(1);
  };
  function dispose() {
    for (const signal of opts.signals) process.off(signal, onSignal);
  }
  try {
    for (const signal of opts.signals) process.on(signal, onSignal);
  } catch (cause) {
    // All or nothing: never leave some handlers installed by a failed call.
    dispose();
    throw invalidOptions(
      'createShutdown',
      { path: 'signals', message: 'cannot be listened to' },
      { cause },
    );
  }

  return {
    shutdown,
    addHook(input) {
      const check = optionCheck('addHook');
      const hook = toHook(input, hooks.length, check, 'hook');
      check.done();
      hooks.push(hook);
    },
    get started() {
      return running !== undefined;
    },
    dispose,
  };
}
