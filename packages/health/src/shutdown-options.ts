import { constants } from 'node:os';
import { requireOptionsObject } from '@plinth/errors';
import { isLoggerLike, type LoggerLike, safeLogger, stderrLogger } from '@plinth/internal';
import type { Health } from './health.js';
import { type ShutdownHook, type ShutdownHookInput, toHook } from './hooks.js';
import { optionCheck } from './option-check.js';
import type { ServerLike } from './server-drain.js';

/**
 * Options of {@link createShutdown}. Defaults live in {@link SHUTDOWN_DEFAULTS}.
 *
 * @example
 * ```ts
 * import { createShutdown, type ShutdownOptions } from '@plinth/health';
 *
 * const options: ShutdownOptions = { servers: [server], drainDelayMs: 15_000, signals: ['SIGTERM'] };
 * createShutdown(options);
 * ```
 */
export interface ShutdownOptions {
  /** Servers to drain and close. Default `[]`. */
  servers?: readonly ServerLike[];
  /** Readiness flips to `fail` the moment shutdown begins. Optional. */
  health?: Pick<Health, 'beginShutdown'>;
  /** Time between readiness failing and the servers closing, so load balancers stop routing. Default `5000`. */
  drainDelayMs?: number;
  /** Time in-flight requests get after the servers stop accepting; then sockets are destroyed. Default `10000`. */
  timeoutMs?: number;
  /** Run in registration order after the servers closed, each with its own deadline. Default `[]`. */
  hooks?: readonly ShutdownHookInput[];
  /** Deadline per hook unless the hook sets its own. Default `5000`. */
  hookTimeoutMs?: number;
  /** Signals that start the shutdown; a second one forces exit. `[]` installs no handlers. Default `['SIGTERM', 'SIGINT']`. */
  signals?: readonly NodeJS.Signals[];
  /** Pino-style logger (`error`, `warn`, `info`). Default: JSON lines on stderr. */
  logger?: LoggerLike;
  /** Called with the exit code when the sequence ends (0 on success) or is forced (1). `false` never exits. Default `process.exit`. */
  exit?: ((code: number) => void) | false;
}

/**
 * Defaults of {@link ShutdownOptions}.
 *
 * @example
 * ```ts
 * import { SHUTDOWN_DEFAULTS } from '@plinth/health';
 *
 * const graceSeconds = (SHUTDOWN_DEFAULTS.drainDelayMs + SHUTDOWN_DEFAULTS.timeoutMs) / 1000 + 10;
 * ```
 */
export const SHUTDOWN_DEFAULTS = Object.freeze({
  drainDelayMs: 5000,
  timeoutMs: 10_000,
  hookTimeoutMs: 5000,
  signals: Object.freeze(['SIGTERM', 'SIGINT'] as const),
});

/** Validated options with defaults applied. */
export interface ResolvedShutdownOptions {
  servers: ServerLike[];
  health: Pick<Health, 'beginShutdown'> | undefined;
  drainDelayMs: number;
  timeoutMs: number;
  hooks: ShutdownHook[];
  hookTimeoutMs: number;
  signals: NodeJS.Signals[];
  logger: Required<LoggerLike>;
  exit: ((code: number) => void) | false;
}

// SIGKILL and SIGSTOP cannot be caught: process.on() throws EINVAL for them.
const CATCHABLE = new Set(
  Object.keys(constants.signals).filter((s) => s !== 'SIGKILL' && s !== 'SIGSTOP'),
);

/** Applies defaults and reports every option that would misbehave, at once. */
export function resolveShutdownOptions(options: ShutdownOptions = {}): ResolvedShutdownOptions {
  requireOptionsObject(options, 'createShutdown');
  const check = optionCheck('createShutdown');
  const { need, ms } = check;
  const {
    servers = [],
    hooks = [],
    signals = SHUTDOWN_DEFAULTS.signals,
    drainDelayMs = SHUTDOWN_DEFAULTS.drainDelayMs,
    timeoutMs = SHUTDOWN_DEFAULTS.timeoutMs,
    hookTimeoutMs = SHUTDOWN_DEFAULTS.hookTimeoutMs,
    logger,
    exit = (code: number) => process.exit(code),
  } = options;
  const { health } = options;
  need(
    health === undefined || typeof health?.beginShutdown === 'function',
    'health',
    'must have a beginShutdown method (pass the object createHealth returns)',
  );
  need(Array.isArray(servers), 'servers', 'must be an array');
  need(Array.isArray(hooks), 'hooks', 'must be an array');
  need(Array.isArray(signals), 'signals', 'must be an array');
  check.done();
  servers.forEach((s, i) => {
    need(typeof s?.closeAllConnections === 'function', `servers.${i}`, 'must be a server');
  });
  need(
    signals.every((s) => CATCHABLE.has(s)),
    'signals',
    'must be catchable signals',
  );
  need(logger === undefined || isLoggerLike(logger), 'logger', 'must have error, warn, info');
  need(exit === false || typeof exit === 'function', 'exit', 'must be a function or false');
  ms(drainDelayMs, 'drainDelayMs', 0);
  ms(timeoutMs, 'timeoutMs');
  ms(hookTimeoutMs, 'hookTimeoutMs');
  const resolved = hooks.map((h, i) => toHook(h, i, check, `hooks.${i}`));
  check.done();
  return {
    servers: [...servers],
    health,
    drainDelayMs,
    timeoutMs,
    hooks: resolved,
    hookTimeoutMs,
    signals: [...signals],
    logger: safeLogger(logger ?? stderrLogger()),
    exit,
  };
}
