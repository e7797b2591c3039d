import type { Database } from './database-types.js';
import type { QueryMeta } from './telemetry.js';

/** Hooks repositories use; not part of the public API. */
export interface DatabaseInternals {
  exec(
    text: string,
    values: readonly unknown[],
    meta?: QueryMeta,
  ): Promise<{ rows: Record<string, unknown>[]; rowCount: number }>;
  /** Runs `fn` in a transaction (ambient or new) with `app.tenant_id` set to `tenantId`. */
  withTenant<T>(tenantId: string, fn: () => Promise<T>): Promise<T>;
  /**
   * Binds the ambient transaction (if any) to `tenantId`, synchronously and
   * before any SQL; throws `TENANT_MISMATCH` when it is bound to another tenant.
   */
  bindTenant(tenantId: string, table: string): void;
  readonly cursorKey: Uint8Array;
}

export const INTERNALS = Symbol.for('plinth.db-repository.internals.v1');

/** Reads the hidden hooks of a Database from this package (any copy). */
export function internalsOf(db: Database): DatabaseInternals | undefined {
  return (db as unknown as { [INTERNALS]?: DatabaseInternals })[INTERNALS];
}
