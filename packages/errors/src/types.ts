/** How bad an error is, for logging and alerting. */
export type Severity = 'debug' | 'info' | 'warning' | 'error' | 'critical';

/** One problem with one input field, as carried by `ValidationError.errors`. */
export interface ValidationIssue {
  /** Dotted path to the offending field (`address.street`, `items.0.sku`); `''` for the whole input. */
  readonly path: string;
  /** Client-safe explanation. Never contains the rejected value. */
  readonly message: string;
  /** Stable machine-readable reason (`invalid_type`, `too_small`, `required`…). */
  readonly code: string;
}

/** Options accepted by every AppError constructor. */
export interface AppErrorOptions {
  /** Stable SCREAMING_SNAKE code. Defaults to the subclass code. */
  code?: string;
  /** HTTP status. Defaults to the subclass status. */
  status?: number;
  severity?: Severity;
  /** Whether `message` is safe to show a client. Default: true below 500, false from 500. */
  expose?: boolean;
  /** Short, stable human title for the code (RFC 9457 `title`). */
  title?: string;
  /** Client-safe structured data, sent in problem details. */
  details?: Record<string, unknown>;
  /** Internal diagnostics. Logged (sanitized), never sent to clients. */
  context?: Record<string, unknown>;
  /** The underlying error (native `Error.cause`). */
  cause?: unknown;
}

/** The plain-object form produced by `AppError#toJSON()` (for logs, not for clients). */
export interface AppErrorJSON {
  name: string;
  code: string;
  status: number;
  severity: Severity;
  message: string;
  expose: boolean;
  title: string;
  errorId: string;
  fingerprint: string;
  timestamp: string;
  details?: Record<string, unknown>;
  context?: Record<string, unknown>;
  errors?: readonly ValidationIssue[];
}
