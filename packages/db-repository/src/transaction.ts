import { invalidOptions } from '@plinth/errors';
import { backoffMs, delay } from '@plinth/internal';
import type { Pool, PoolClient } from 'pg';
import { usageError } from './errors.js';
import { isRetryableTransactionError, mapPgError } from './map-pg-error.js';
import { type TxState, txStore } from './transaction-state.js';
import { DATABASE_DEFAULTS, type TransactionOptions } from './types.js';

const BEGIN: Record<string, string> = {
  'read committed': 'BEGIN ISOLATION LEVEL READ COMMITTED',
  'repeatable read': 'BEGIN ISOLATION LEVEL REPEATABLE READ',
  serializable: 'BEGIN ISOLATION LEVEL SERIALIZABLE',
};

/** Checks out a client; connection failures become ServiceUnavailableError. */
export async function checkout(pool: Pool): Promise<PoolClient> {
  try {
    return await pool.connect();
  } catch (err) {
    throw mapPgError(err);
  }
}

async function control(client: PoolClient, text: string): Promise<string | null> {
  try {
    return (await client.query(text)).command;
  } catch (err) {
    throw mapPgError(err);
  }
}

/** The number of retries; an unknown isolation level or a retry count outside 0–10 is a wiring bug. */
function retriesOf({
  isolation,
  retries = DATABASE_DEFAULTS.transactionRetries,
}: TransactionOptions) {
  const issues: { path: string; message: string }[] = [];
  if (isolation !== undefined && !Object.hasOwn(BEGIN, isolation))
    issues.push({
      path: 'isolation',
      message: 'must be read committed, repeatable read or serializable',
    });
  if (!Number.isInteger(retries) || retries < 0 || retries > 10)
    issues.push({ path: 'retries', message: 'must be an integer from 0 to 10' });
  if (issues.length > 0) throw invalidOptions('db.transaction', issues);
  return retries;
}

async function savepoint<T>(state: TxState, fn: () => Promise<T>): Promise<T> {
  if (state.childOpen) {
    throw usageError(
      'A nested transaction is already running at this level; await nested transactions one at a time',
      'CONCURRENT_NESTED_TRANSACTION',
    );
  }
  const name = `plinth_sp_${++state.shared.savepoints}`;
  const tenantBefore = state.shared.rlsTenant;
  const child: TxState = {
    owner: state.owner,
    client: state.client,
    shared: state.shared,
    childOpen: false,
    closed: false,
  };
  state.childOpen = true;
  try {
    await control(state.client, `SAVEPOINT ${name}`);
    const result = await txStore.run(child, fn);
    if (child.childOpen)
      throw usageError(
        'A nested transaction was still running when its parent returned',
        'TRANSACTION_NOT_AWAITED',
      );
    try {
      await control(state.client, `RELEASE SAVEPOINT ${name}`);
    } catch (err) {
      // 25P02: a statement failed inside and fn swallowed its error, as COMMIT reports for the outermost level.
      if ((err as { context?: { sqlState?: unknown } }).context?.sqlState === '25P02')
        throw usageError(
          'The nested transaction was rolled back: a statement in it failed and its error was caught inside it',
          'TRANSACTION_ABORTED',
        );
      throw err;
    }
    return result;
  } catch (err) {
    await control(state.client, `ROLLBACK TO SAVEPOINT ${name}`).catch(() => undefined);
    state.shared.rlsTenant = tenantBefore;
    throw err;
  } finally {
    child.closed = true;
    state.childOpen = false;
  }
}

async function once<T>(
  owner: object,
  pool: Pool,
  fn: () => Promise<T>,
  options: TransactionOptions,
): Promise<T> {
  const client = await checkout(pool);
  const state: TxState = {
    owner,
    client,
    shared: { savepoints: 0, rlsTenant: undefined, boundTenant: undefined },
    childOpen: false,
    closed: false,
  };
  let destroy: Error | undefined;
  try {
    await control(
      client,
      `${BEGIN[options.isolation ?? 'read committed']}${options.readOnly ? ' READ ONLY' : ''}`,
    );
    const result = await txStore.run(state, fn);
    if (state.childOpen)
      throw usageError(
        'A nested transaction was still running when the transaction returned',
        'TRANSACTION_NOT_AWAITED',
      );
    state.closed = true;
    // COMMIT of an aborted transaction answers ROLLBACK: a statement failed and fn swallowed its error.
    if ((await control(client, 'COMMIT')) === 'ROLLBACK') {
      throw usageError(
        'The transaction was rolled back: a statement in it failed and its error was caught inside the transaction',
        'TRANSACTION_ABORTED',
      );
    }
    return result;
  } catch (err) {
    state.closed = true;
    // A failed ROLLBACK means the connection is broken: destroy it rather than pool it.
    await control(client, 'ROLLBACK').catch((rollbackError: unknown) => {
      destroy = rollbackError as Error;
    });
    throw err;
  } finally {
    state.closed = true;
    client.release(destroy ?? undefined);
  }
}

/** `db.transaction`: a savepoint when already inside one of `owner`'s transactions, else a new retried transaction. */
export async function runTransaction<T>(
  owner: object,
  pool: Pool,
  fn: () => Promise<T>,
  options?: TransactionOptions | null,
): Promise<T> {
  const opts = options ?? {};
  if (typeof fn !== 'function') throw invalidOptions('db.transaction', 'expects a function');
  const retries = retriesOf(opts);
  const current = txStore.getStore();
  if (current && current.owner === owner && !current.closed) return savepoint(current, fn);
  for (let attempt = 0; ; attempt++) {
    try {
      return await once(owner, pool, fn, opts);
    } catch (err) {
      if (attempt >= retries || !isRetryableTransactionError(err)) throw err;
      const { retryBaseDelayMs: base, retryMaxDelayMs: cap } = DATABASE_DEFAULTS;
      await delay(backoffMs(attempt, base, cap));
    }
  }
}
