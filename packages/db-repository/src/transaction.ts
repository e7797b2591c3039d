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

function validate(options: TransactionOptions) {
  if (typeof options !== 'object' || options === null)
    throw usageError('transaction: options must be an object');
  const { isolation, retries = DATABASE_DEFAULTS.transactionRetries } = options;
  if (isolation !== undefined && !(isolation in BEGIN)) {
    throw usageError(
      'transaction: isolation must be read committed, repeatable read or serializable',
    );
  }
  if (!Number.isInteger(retries) || retries < 0 || retries > 10) {
    throw usageError('transaction: retries must be an integer from 0 to 10');
  }
  return retries;
}

/** Full-jitter exponential backoff (AWS architecture blog): uniform in [0, min(cap, base·2^n)]. */
function backoffMs(attempt: number): number {
  const { retryBaseDelayMs: base, retryMaxDelayMs: cap } = DATABASE_DEFAULTS;
  return Math.random() * Math.min(cap, base * 2 ** attempt);
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
  options: TransactionOptions = {},
): Promise<T> {
  if (typeof fn !== 'function') throw usageError('transaction expects a function');
  const retries = validate(options);
  const current = txStore.getStore();
  if (current && current.owner === owner && !current.closed) return savepoint(current, fn);
  for (let attempt = 0; ; attempt++) {
    try {
      return await once(owner, pool, fn, options);
    } catch (err) {
      if (attempt >= retries || !isRetryableTransactionError(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt)));
    }
  }
}
