import type { ValidationIssue } from '@plinth/errors';
import { ValidationError } from '@plinth/errors';
import type { ResolvedCheck } from './run-check.js';
import type { Check, CheckDefinition, ServiceInfo } from './types.js';

/**
 * Options of {@link createHealth}. Defaults live in {@link HEALTH_DEFAULTS}.
 *
 * @example
 * ```ts
 * import { createHealth, type HealthOptions } from '@plinth/health';
 *
 * const options: HealthOptions = { checks: { db: () => pool.query('SELECT 1') }, cacheMs: 2000 };
 * const health = createHealth(options);
 * ```
 */
export interface HealthOptions {
  /** Readiness checks keyed by component name (`[A-Za-z0-9_.-]{1,64}`). Default `{}`. */
  checks?: Record<string, Check>;
  /** Liveness checks; keep these free of dependencies (a DB outage must not restart pods). Default `{}`. */
  liveChecks?: Record<string, Check>;
  /** Deadline per check in ms, unless the check sets its own. Default `500`. */
  timeoutMs?: number;
  /**
   * How long a check result is fresh, in ms. `0` runs checks on every probe
   * (concurrent probes still share one run). Above `0`, a stale result is
   * served at once while one background refresh runs. Default `0`.
   */
  cacheMs?: number;
  /** Service metadata copied into every response. Default `{}`. */
  service?: ServiceInfo;
}

/**
 * Defaults of {@link HealthOptions} and of each check definition.
 *
 * @example
 * ```ts
 * import { HEALTH_DEFAULTS } from '@plinth/health';
 *
 * const probeTimeoutMs = HEALTH_DEFAULTS.timeoutMs * 4;
 * ```
 */
export const HEALTH_DEFAULTS = Object.freeze({
  timeoutMs: 500,
  cacheMs: 0,
  componentType: 'component',
  measurement: 'responseTime',
  observedUnit: 'ms',
});

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const MAX_TIMER = 2_147_483_647;

function isPositiveMs(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= MAX_TIMER;
}

function resolveOne(
  name: string,
  check: Check,
  timeoutMs: number,
  path: string,
  issues: ValidationIssue[],
): ResolvedCheck | undefined {
  if (!NAME.test(name)) {
    issues.push({
      path,
      message: 'check names must match [A-Za-z0-9_.-]{1,64}',
      code: 'invalid_name',
    });
    return undefined;
  }
  const def: CheckDefinition | undefined =
    typeof check === 'function'
      ? { check }
      : typeof check === 'object' && check !== null && typeof check.check === 'function'
        ? check
        : undefined;
  if (!def) {
    issues.push({
      path,
      message: 'a check is a function or { check: function }',
      code: 'invalid_check',
    });
    return undefined;
  }
  if (def.timeoutMs !== undefined && !isPositiveMs(def.timeoutMs)) {
    issues.push({
      path: `${path}.timeoutMs`,
      message: 'must be a positive number of ms',
      code: 'invalid_timeout',
    });
    return undefined;
  }
  const measurement = def.measurement ?? HEALTH_DEFAULTS.measurement;
  if (!NAME.test(measurement)) {
    issues.push({
      path: `${path}.measurement`,
      message: 'must match [A-Za-z0-9_.-]{1,64}',
      code: 'invalid_name',
    });
    return undefined;
  }
  return {
    name,
    key: `${name}:${measurement}`,
    definition: def,
    critical: def.critical !== false,
    timeoutMs: def.timeoutMs ?? timeoutMs,
    componentType: def.componentType ?? HEALTH_DEFAULTS.componentType,
    observedUnit: def.observedUnit ?? HEALTH_DEFAULTS.observedUnit,
  };
}

function resolveSet(
  checks: unknown,
  timeoutMs: number,
  field: string,
  issues: ValidationIssue[],
): ResolvedCheck[] {
  if (checks === undefined) return [];
  if (typeof checks !== 'object' || checks === null || Array.isArray(checks)) {
    issues.push({
      path: field,
      message: 'must be an object of named checks',
      code: 'invalid_type',
    });
    return [];
  }
  const out: ResolvedCheck[] = [];
  for (const [name, check] of Object.entries(checks as Record<string, Check>)) {
    const resolved = resolveOne(name, check, timeoutMs, `${field}.${name}`, issues);
    if (resolved) out.push(resolved);
  }
  return out;
}

/** Validated options with defaults applied. */
export interface ResolvedHealthOptions {
  ready: ResolvedCheck[];
  live: ResolvedCheck[];
  cacheMs: number;
  service: ServiceInfo;
}

/** Applies defaults and reports every invalid option at once. */
export function resolveHealthOptions(options: HealthOptions | undefined): ResolvedHealthOptions {
  const opts = options ?? {};
  const issues: ValidationIssue[] = [];
  if (typeof opts !== 'object') throw new ValidationError('createHealth options must be an object');
  const timeoutMs = opts.timeoutMs ?? HEALTH_DEFAULTS.timeoutMs;
  if (!isPositiveMs(timeoutMs)) {
    issues.push({
      path: 'timeoutMs',
      message: 'must be a positive number of ms',
      code: 'invalid_timeout',
    });
  }
  const cacheMs = opts.cacheMs ?? HEALTH_DEFAULTS.cacheMs;
  if (typeof cacheMs !== 'number' || !Number.isFinite(cacheMs) || cacheMs < 0) {
    issues.push({ path: 'cacheMs', message: 'must be a number of ms ≥ 0', code: 'invalid_cache' });
  }
  const service = opts.service ?? {};
  if (typeof service !== 'object' || service === null) {
    issues.push({ path: 'service', message: 'must be an object', code: 'invalid_type' });
  } else {
    for (const key of ['version', 'releaseId', 'serviceId', 'description'] as const) {
      if (service[key] !== undefined && typeof service[key] !== 'string') {
        issues.push({ path: `service.${key}`, message: 'must be a string', code: 'invalid_type' });
      }
    }
    const notes = service.notes;
    if (
      notes !== undefined &&
      !(Array.isArray(notes) && notes.every((n) => typeof n === 'string'))
    ) {
      issues.push({
        path: 'service.notes',
        message: 'must be an array of strings',
        code: 'invalid_type',
      });
    }
  }
  const ready = resolveSet(opts.checks, timeoutMs, 'checks', issues);
  const live = resolveSet(opts.liveChecks, timeoutMs, 'liveChecks', issues);
  if (issues.length > 0) {
    throw new ValidationError('Invalid createHealth options', { errors: issues });
  }
  return { ready, live, cacheMs, service: { ...service } };
}
