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
  /** Remaining verified claims (deeply frozen copy). Never put raw tokens here. */
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
  /** What is running: a job or CLI command name, or an HTTP route. */
  readonly operation?: string | undefined;
}

/** What `createRequestContext` accepts; everything has a default. */
export interface RequestContextInit {
  /** Default `'http'`. */
  source?: ContextSource;
  /** Default: a fresh UUID v4. Must match `[A-Za-z0-9._:-]{1,128}`. */
  correlationId?: string;
  /** Default `'client'` when `correlationId` is given, else `'generated'`. */
  correlationIdSource?: 'client' | 'generated';
  /** Default: a fresh UUID v4. Same character rules as `correlationId`. */
  requestId?: string;
  tenantId?: string;
  principal?: PrincipalInit;
  /** Default `Date.now()`. */
  startedAt?: number;
  ip?: string;
  userAgent?: string;
  operation?: string;
}

/** Principal input; arrays and claims are copied and frozen. */
export interface PrincipalInit {
  id: string;
  /** Default `'user'`. */
  type?: string;
  roles?: readonly string[];
  scopes?: readonly string[];
  claims?: Record<string, unknown>;
}

/** Fields `withContext` / `deriveContext` may change. */
export type ContextPatch = Partial<Omit<RequestContextInit, 'startedAt' | 'source'>> & {
  source?: ContextSource;
};
