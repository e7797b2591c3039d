/** Where a unit of work came from. */
export type ContextSource = 'http' | 'job' | 'cli' | 'test';

/** Who is acting: the authenticated user or service. */
export interface Principal {
  /** Stable subject id (JWT `sub`). */
  readonly id: string;
  /** `user`, `service`, … */
  readonly type: string;
  readonly roles: readonly string[];
  readonly scopes: readonly string[];
  /**
   * Remaining verified claims: a deeply frozen copy of JSON data (objects,
   * arrays, strings, numbers, booleans, null). Never put raw tokens here.
   */
  readonly claims: Readonly<Record<string, unknown>>;
}

/** The frozen per-request (or per-job) context. Derive a new one to change it. */
export interface RequestContext {
  readonly correlationId: string;
  /** Whether `correlationId` was accepted from the caller or generated here. */
  readonly correlationIdSource: 'client' | 'generated';
  readonly requestId: string;
  readonly tenantId?: string | undefined;
  readonly principal?: Principal | undefined;
  readonly source: ContextSource;
  /** Epoch milliseconds when the unit of work started. */
  readonly startedAt: number;
  /** Client address, when the HTTP layer knows it. */
  readonly ip?: string | undefined;
  readonly userAgent?: string | undefined;
  /** What is running: a job or CLI command name, or the HTTP route (`GET /v1/clients/:id`). */
  readonly operation?: string | undefined;
}

/**
 * What `createRequestContext` accepts; everything has a default. Every field
 * also accepts an explicit `undefined`, which means the same as leaving it
 * out (so `exactOptionalPropertyTypes` projects can pass `x ?? undefined`).
 */
export interface RequestContextInit {
  /** Default `'http'`. */
  source?: ContextSource | undefined;
  /** Used when it matches `[A-Za-z0-9._:-]{1,128}`; otherwise a fresh UUID v4. */
  correlationId?: string | undefined;
  /** Default `'client'` when `correlationId` is used, always `'generated'` when it was replaced. */
  correlationIdSource?: 'client' | 'generated' | undefined;
  /** Used when it matches the `correlationId` rule; otherwise a fresh UUID v4. */
  requestId?: string | undefined;
  /** 1-128 characters, no control characters (else 401). */
  tenantId?: string | undefined;
  principal?: PrincipalInit | undefined;
  /** Default `Date.now()`. */
  startedAt?: number | undefined;
  /** Cut to 512 characters; a non-string is dropped. */
  ip?: string | undefined;
  /** Cut to 512 characters; a non-string is dropped. */
  userAgent?: string | undefined;
  /** 1-512 characters, no control characters: a job name or a route template, never a raw URL. */
  operation?: string | undefined;
}

/** Principal input; arrays and claims are copied and frozen. An explicit `undefined` means the default. */
export interface PrincipalInit {
  /** 1-256 characters, no control characters (else 401). */
  id: string;
  /** Default `'user'`; must match `[A-Za-z][A-Za-z0-9_.-]{0,63}` (else 401). */
  type?: string | undefined;
  roles?: readonly string[] | undefined;
  scopes?: readonly string[] | undefined;
  /** JSON data only: a Date, Map, Set or class instance is a programming error (500). */
  claims?: Record<string, unknown> | undefined;
}

/**
 * Fields `withContext` / `deriveContext` may change. A key present with the
 * value `undefined` clears the field (`{ tenantId: undefined }` drops the
 * tenant; for `correlationId`/`requestId` it means a fresh id, for `source`
 * the default `'http'`); a key left out keeps the parent's value.
 */
export type ContextPatch = Omit<RequestContextInit, 'startedAt'>;
