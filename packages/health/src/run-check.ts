import { sanitize } from '@plinth/errors';
import { withDeadline } from '@plinth/internal';
import { CheckTimeoutError, describeFailure, sanitizeOutput } from './output.js';
import type { CheckFunction, CheckObservation, ComponentResult, HealthStatus } from './types.js';

/** A check with every default applied, each option read once. */
export interface ResolvedCheck {
  readonly key: string;
  readonly check: CheckFunction;
  readonly critical: boolean;
  readonly componentId: string | undefined;
  readonly timeoutMs: number;
  readonly componentType: string;
  readonly observedUnit: string;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

function isObservation(value: unknown): value is CheckObservation {
  return typeof value === 'object' && value !== null;
}

/** Calls the check with a deadline; never rejects, never leaves a rejection unhandled. */
function settle(
  check: ResolvedCheck,
): Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }> {
  return withDeadline(
    (signal) => check.check(signal),
    check.timeoutMs,
    () => new CheckTimeoutError(check.timeoutMs),
  ).then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}

/** Runs one check and turns its outcome into a component result. Never rejects. */
export async function runCheck(check: ResolvedCheck): Promise<ComponentResult> {
  const started = performance.now();
  const outcome = await settle(check);
  const base: ComponentResult = {
    ...(check.componentId === undefined ? {} : { componentId: check.componentId }),
    componentType: check.componentType,
    observedValue: round(performance.now() - started),
    observedUnit: 'ms',
    status: 'pass',
    time: new Date().toISOString(),
  };
  const failed = check.critical ? 'fail' : 'warn';
  if (!outcome.ok) return { ...base, status: failed, output: describeFailure(outcome.error) };
  try {
    return applyObservation(base, check, outcome.value);
  } catch {
    // A hostile result (a getter or Proxy that throws) must not reject the probe.
    return { ...base, status: failed, output: 'unreadable check result' };
  }
}

const MAX_OBSERVED_JSON = 1024;
const UNREPORTABLE = 'observed value is not JSON or larger than 1 KiB';

/**
 * A copy of `value` that is safe to put in a response: finite numbers,
 * booleans, sanitised strings, or JSON up to 1 KiB with sensitive keys and
 * credential-shaped strings redacted. `undefined` otherwise
 * (BigInt, cycles, functions, NaN, huge objects would break or bloat every probe).
 */
function reportable(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return sanitizeOutput(value);
  if (typeof value !== 'object' || value === null) return undefined;
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    return undefined;
  }
  return json === undefined || json.length > MAX_OBSERVED_JSON
    ? undefined
    : sanitize(JSON.parse(json));
}

/** Latency stays the observed value; the component degrades so the broken report is seen. */
function unreportable(base: ComponentResult): ComponentResult {
  return { ...base, status: 'warn', output: UNREPORTABLE };
}

function applyObservation(
  base: ComponentResult,
  check: ResolvedCheck,
  value: unknown,
): ComponentResult {
  if (value === undefined || value === null) return base;
  if (!isObservation(value)) {
    const observed = reportable(value);
    if (observed === undefined) return unreportable(base);
    return { ...base, observedValue: observed, observedUnit: check.observedUnit };
  }
  const status: HealthStatus = value.status === 'warn' ? 'warn' : 'pass';
  const result: ComponentResult = { ...base, status };
  if (value.observedValue !== undefined) {
    const observed = reportable(value.observedValue);
    if (observed === undefined) return unreportable(base);
    result.observedValue = observed;
    result.observedUnit =
      typeof value.observedUnit === 'string'
        ? sanitizeOutput(value.observedUnit)
        : check.observedUnit;
  }
  if (status === 'warn') {
    const output = typeof value.output === 'string' ? sanitizeOutput(value.output) : '';
    result.output = output || 'degraded';
  }
  return result;
}
