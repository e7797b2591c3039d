/** Health status of a component or of the whole service (draft-inadarei-api-health-check §3.1). */
export type HealthStatus = 'pass' | 'warn' | 'fail';

/** What a check may resolve with to report its own measurement instead of latency. */
export interface CheckObservation {
  /** The measured value; replaces the default latency in ms. */
  observedValue?: unknown;
  /** Unit of `observedValue` (e.g. `'connections'`); defaults to the check's `observedUnit`. */
  observedUnit?: string;
  /** `'warn'` degrades this component without failing it. Defaults to `'pass'`. */
  status?: 'pass' | 'warn';
  /** Client-safe note shown with a `warn`; sanitised before it is reported. */
  output?: string;
}

/**
 * A health check: resolve to pass, reject (or throw) to fail. The signal aborts
 * when the check's deadline passes so it can cancel its work. Resolve with
 * nothing to report latency, with a primitive to report it as the observed
 * value (unit: the check's `observedUnit`), or with a {@link CheckObservation}.
 */
export type CheckFunction = (signal: AbortSignal) => Promise<unknown>;

/** A check with options. Everything but `check` is optional. */
export interface CheckDefinition {
  check: CheckFunction;
  /** A failing non-critical check makes the service `warn` (HTTP 200), not `fail`. Default `true`. */
  critical?: boolean;
  /** Deadline for this check in ms. Default: the health instance's `timeoutMs`. */
  timeoutMs?: number;
  /** `componentType` in the response, e.g. `'datastore'`, `'component'`, `'system'`. Default `'component'`. */
  componentType?: string;
  /** Optional `componentId` (e.g. a resource name that is not a secret). */
  componentId?: string;
  /** Measurement name, the part after `:` in the checks key. Default `'responseTime'`. */
  measurement?: string;
  /** Unit of the observed value. Default `'ms'`. */
  observedUnit?: string;
}

/** A check given either as a bare function or with options. */
export type Check = CheckFunction | CheckDefinition;

/** One component entry in the `checks` object of a health response. */
export interface ComponentResult {
  componentId?: string;
  componentType: string;
  observedValue?: unknown;
  observedUnit?: string;
  status: HealthStatus;
  /** ISO 8601 time the result was observed. */
  time: string;
  /** Generic, secret-free reason on `warn`/`fail`. */
  output?: string;
}

/** The `application/health+json` document. */
export interface HealthBody {
  status: HealthStatus;
  /** `service.version`. */
  releaseId?: string;
  /** `service.name`. */
  serviceId?: string;
  /** Only on readiness during shutdown: `'shutting down'`. */
  output?: string;
  checks?: Record<string, ComponentResult[]>;
}

/** A probe result ready to write to any HTTP framework. */
export interface HealthResponse {
  /** 200 for `pass`/`warn`, 503 for `fail`. */
  httpStatus: 200 | 503;
  headers: Readonly<Record<string, string>>;
  body: HealthBody;
}
