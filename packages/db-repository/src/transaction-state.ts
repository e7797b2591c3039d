import { AsyncLocalStorage } from 'node:async_hooks';
import type { PoolClient } from 'pg';

/** Per-transaction data shared by the outermost transaction and its savepoints. */
export interface SharedTx {
  savepoints: number;
  /** Tenant last set with `set_config('app.tenant_id', …, true)` in this transaction. */
  rlsTenant: string | undefined;
  /** Tenant of the first tenant-scoped repository call; later calls must match it (ADR 0065). */
  boundTenant: string | undefined;
}

/** The ambient transaction of one async call chain (one per nesting level). */
export interface TxState {
  readonly owner: object;
  readonly client: PoolClient;
  readonly shared: SharedTx;
  /** A nested transaction (savepoint) is running on this level. */
  childOpen: boolean;
  /** This level has committed, rolled back or released its savepoint. */
  closed: boolean;
}

// Our own store, not the request context's: the transaction client must never
// leak into another request through a shared context object.
const TX_KEY = Symbol.for('plinth.db-repository.tx.v1');
type Global = { [TX_KEY]?: AsyncLocalStorage<TxState> };
const g = globalThis as Global;

/** One AsyncLocalStorage per process, shared by every copy of this package. */
g[TX_KEY] ??= new AsyncLocalStorage<TxState>();
export const txStore: AsyncLocalStorage<TxState> = g[TX_KEY];
