import { requireOptionsObject } from '@plinth/errors';
import type { ServiceInfo } from '@plinth/internal';
import { optionCheck } from './option-check.js';
import type { ResolvedCheck } from './run-check.js';
import type { Check, CheckDefinition } from './types.js';

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
  /**
   * Who is running, the same object the logger and telemetry take: `name` is
   * published as `serviceId`, `version` as `releaseId`; `environment` is not
   * published. Default: neither field.
   */
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

const KEY = /^[\w.-]{1,64}:[\w.-]{1,64}$/;

/** Validated options with defaults applied. */
export interface ResolvedHealthOptions {
  ready: ResolvedCheck[];
  live: ResolvedCheck[];
  cacheMs: number;
  service: ServiceInfo | undefined;
}

/** Applies defaults and reports every option that would misbehave, at once. */
export function resolveHealthOptions(options: HealthOptions = {}): ResolvedHealthOptions {
  requireOptionsObject(options, 'createHealth');
  const { need, ms, done } = optionCheck('createHealth');
  const {
    timeoutMs = HEALTH_DEFAULTS.timeoutMs,
    cacheMs = HEALTH_DEFAULTS.cacheMs,
    service,
  } = options;
  ms(timeoutMs, 'timeoutMs');
  ms(cacheMs, 'cacheMs', 0);
  // The old `{ serviceId, releaseId }` shape would silently publish nothing.
  need(!service || typeof service.name === 'string', 'service.name', 'must be a string');
  const resolveSet = (field: string, checks: Record<string, Check> = {}): ResolvedCheck[] => {
    const isObject = typeof checks === 'object' && checks !== null;
    need(isObject, field, 'must be an object of named checks');
    return Object.entries(isObject ? checks : {}).map(([name, check]) => {
      const def: CheckDefinition = typeof check === 'function' ? { check } : Object(check);
      const { measurement = HEALTH_DEFAULTS.measurement, timeoutMs: own = timeoutMs } = def;
      const [path, key] = [`${field}.${name}`, `${name}:${measurement}`];
      need(typeof def.check === 'function', path, 'must be a function or { check: function }');
      need(KEY.test(key), path, 'name and measurement must be [A-Za-z0-9_.-]{1,64}');
      if (def.timeoutMs !== undefined) ms(own, `${path}.timeoutMs`);
      return {
        key,
        check: def.check,
        critical: def.critical !== false,
        timeoutMs: own,
        componentId: def.componentId,
        componentType: def.componentType ?? HEALTH_DEFAULTS.componentType,
        observedUnit: def.observedUnit ?? HEALTH_DEFAULTS.observedUnit,
      };
    });
  };
  const ready = resolveSet('checks', options.checks);
  const live = resolveSet('liveChecks', options.liveChecks);
  done();
  return { ready, live, cacheMs, service };
}
