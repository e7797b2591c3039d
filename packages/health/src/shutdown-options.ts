import type { ValidationIssue } from '@plinth/errors';
import { ValidationError } from '@plinth/errors';
import type { Health } from './health.js';
import { hookTimeoutProblem, type ShutdownHook, type ShutdownHookInput, toHook } from './hooks.js';
import { createStderrLogger, isLoggerLike, type LoggerLike, safeLogger } from './logger.js';
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
  /** Pino-style logger. Default: JSON lines on stderr. */
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
  logger: LoggerLike;
  exit: ((code: number) => void) | false;
}

const MAX_TIMER = 2_147_483_647;

function ms(
  value: unknown,
  fallback: number,
  path: string,
  min: number,
  issues: ValidationIssue[],
) {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > MAX_TIMER) {
    issues.push({
      path,
      message: `must be a finite number of ms from ${min} to ${MAX_TIMER}`,
      code: 'invalid_duration',
    });
    return fallback;
  }
  return v;
}

function isServer(s: unknown): s is ServerLike {
  const o = s as Record<string, unknown> | null;
  return (
    typeof o === 'object' &&
    o !== null &&
    typeof o.close === 'function' &&
    typeof o.closeIdleConnections === 'function' &&
    typeof o.closeAllConnections === 'function' &&
    typeof o.prependListener === 'function'
  );
}

/** Applies defaults and reports every invalid option at once. */
export function resolveShutdownOptions(
  options: ShutdownOptions | undefined,
): ResolvedShutdownOptions {
  const o = options ?? {};
  const issues: ValidationIssue[] = [];
  const servers = [...(o.servers ?? [])];
  servers.forEach((s, i) => {
    if (!isServer(s)) {
      issues.push({
        path: `servers.${i}`,
        message: 'must be a node:http or node:https server (Node ≥ 18.2)',
        code: 'invalid_server',
      });
    }
  });
  const hooks: ShutdownHook[] = [];
  (o.hooks ?? []).forEach((h, i) => {
    const hook = toHook(h, i);
    if (!hook)
      issues.push({
        path: `hooks.${i}`,
        message: 'a hook is a function or { name, run }',
        code: 'invalid_hook',
      });
    else {
      const problem = hookTimeoutProblem(hook.timeoutMs);
      if (problem !== undefined)
        issues.push({ path: `hooks.${i}.timeoutMs`, message: problem, code: 'invalid_duration' });
      hooks.push(hook);
    }
  });
  const signals = [...(o.signals ?? SHUTDOWN_DEFAULTS.signals)];
  if (!signals.every((s) => typeof s === 'string' && /^SIG[A-Z0-9]+$/.test(s))) {
    issues.push({
      path: 'signals',
      message: 'must be signal names like SIGTERM',
      code: 'invalid_signal',
    });
  }
  if (o.logger !== undefined && !isLoggerLike(o.logger)) {
    issues.push({
      path: 'logger',
      message: 'must have info, warn and error methods (pino-style)',
      code: 'invalid_type',
    });
  }
  if (o.exit !== undefined && o.exit !== false && typeof o.exit !== 'function') {
    issues.push({ path: 'exit', message: 'must be a function or false', code: 'invalid_type' });
  }
  const resolved: ResolvedShutdownOptions = {
    servers,
    health: o.health,
    drainDelayMs: ms(o.drainDelayMs, SHUTDOWN_DEFAULTS.drainDelayMs, 'drainDelayMs', 0, issues),
    timeoutMs: ms(o.timeoutMs, SHUTDOWN_DEFAULTS.timeoutMs, 'timeoutMs', 1, issues),
    hooks,
    hookTimeoutMs: ms(o.hookTimeoutMs, SHUTDOWN_DEFAULTS.hookTimeoutMs, 'hookTimeoutMs', 1, issues),
    signals,
    logger: safeLogger(o.logger ?? createStderrLogger()),
    exit: o.exit === undefined ? (code) => process.exit(code) : o.exit,
  };
  if (issues.length > 0)
    throw new ValidationError('Invalid createShutdown options', { errors: issues });
  return resolved;
}
