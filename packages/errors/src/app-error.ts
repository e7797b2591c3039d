import { randomUUID } from 'node:crypto';
import { APP_ERROR_BRAND } from './brand.js';
import { computeFingerprint, recordedSites, throwSite } from './fingerprint.js';
import { statusCode, statusPhrase } from './status.js';
import type { AppErrorJSON, AppErrorOptions, Severity } from './types.js';

/** Defaults a subclass declares once; the constructor merges caller options over them. */
export interface AppErrorDefaults {
  code: string;
  status: number;
  title: string;
  message: string;
  severity?: Severity;
  /** Whether the message is client-safe. Default: true below 500, false from 500. */
  expose?: boolean;
  /** Longer explanation for the error catalog (when it happens, what the client should do). */
  description?: string;
}

const BASE_DEFAULTS: AppErrorDefaults = {
  code: 'INTERNAL_ERROR',
  status: 500,
  title: 'Internal Server Error',
  message: 'An unexpected error occurred',
  severity: 'error',
};

// Not a `#private` field: that would put `#private` in the .d.ts, which
// consumers compiling for targets below ES2015 without skipLibCheck reject.
const fingerprints = new WeakMap<object, string>();

function freezeCopy(value: Record<string, unknown> | undefined) {
  return typeof value === 'object' && value !== null ? Object.freeze({ ...value }) : undefined;
}

/**
 * Base class of every Plinth error: a stable `code`, an HTTP `status`, a
 * `severity`, client-safe `details`, internal `context`, a unique `errorId`
 * and a `fingerprint` that groups errors by code and throw site.
 *
 * @example
 * ```ts
 * import { AppError } from '@plinth/errors';
 *
 * throw new AppError('Quota exceeded for this plan', {
 *   code: 'QUOTA_EXCEEDED',
 *   status: 402,
 *   details: { limit: 100 },
 * });
 * ```
 */
export class AppError extends Error {
  /** Defaults used when a caller omits message, code, status, title or severity. */
  static defaults: AppErrorDefaults = BASE_DEFAULTS;

  readonly code: string;
  readonly status: number;
  readonly severity: Severity;
  readonly expose: boolean;
  readonly title: string;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  readonly context: Readonly<Record<string, unknown>> | undefined;
  readonly errorId: string;
  readonly timestamp: string;

  constructor(message?: string, opts?: AppErrorOptions) {
    const options: AppErrorOptions = typeof opts === 'object' && opts !== null ? opts : {};
    const defaults = (new.target as typeof AppError).defaults ?? BASE_DEFAULTS;
    super(
      typeof message === 'string' ? message : defaults.message,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    // Drop constructor frames so the first frame is the throw site.
    if (typeof Error.captureStackTrace === 'function') Error.captureStackTrace(this, new.target);
    this.name = new.target.name || 'AppError';
    this.status = normaliseStatus(options.status ?? defaults.status);
    // A status other than the class default brings its own code/title/severity defaults.
    const own = this.status === defaults.status;
    this.code = options.code ?? (own ? defaults.code : statusCode(this.status));
    this.severity =
      options.severity ??
      (own ? defaults.severity : undefined) ??
      (this.status >= 500 ? 'error' : 'info');
    this.expose = options.expose ?? (own ? defaults.expose : undefined) ?? this.status < 500;
    this.title = options.title ?? (own ? defaults.title : statusPhrase(this.status));
    this.details = freezeCopy(options.details);
    this.context = freezeCopy(options.context);
    this.errorId = randomUUID();
    this.timestamp = new Date().toISOString();
  }

  /**
   * Stable hash of `code` + throw site: the first 16 hex characters of
   * SHA-256 over `code + "\n" + file:line:column` of the first stack frame
   * (path relative to the working directory or to `node_modules/`). An error
   * made by `toAppError` from a foreign Error uses that error's throw site.
   * Computed on first read. See docs/packages/errors.md.
   */
  get fingerprint(): string {
    let value = fingerprints.get(this);
    if (value === undefined) {
      const site = recordedSites.has(this)
        ? recordedSites.get(this)
        : throwSite(this.stack, this.message);
      value = computeFingerprint(this.code, site);
      fingerprints.set(this, value);
    }
    return value;
  }

  /** `NotFoundError [CLIENT_NOT_FOUND]: Client not found`: the class, the code and the message. */
  override toString(): string {
    return `${this.name} [${this.code}]${this.message ? `: ${this.message}` : ''}`;
  }

  /** Internal representation for logs. Includes `context`; never send it to a client. */
  toJSON(): AppErrorJSON {
    const json: AppErrorJSON = {
      name: this.name,
      code: this.code,
      status: this.status,
      severity: this.severity,
      message: this.message,
      expose: this.expose,
      title: this.title,
      errorId: this.errorId,
      fingerprint: this.fingerprint,
      timestamp: this.timestamp,
    };
    if (this.details !== undefined) json.details = { ...this.details };
    if (this.context !== undefined) json.context = { ...this.context };
    return json;
  }
}

Object.defineProperty(AppError.prototype, APP_ERROR_BRAND, { value: true });

function normaliseStatus(status: number): number {
  return Number.isInteger(status) && status >= 400 && status <= 599 ? status : 500;
}
