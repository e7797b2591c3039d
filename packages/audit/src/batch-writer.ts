import { type AppError, ServiceUnavailableError } from '@plinth/errors';
import { backoffMs, delay } from '@plinth/internal';
import type { AuditFailure } from './log-types.js';
import type { PreparedEvent } from './prepare-event.js';
import { isTransient, writeFailed } from './retry.js';

export interface BatchWriterSettings {
  maxSize: number;
  maxDelayMs: number;
  maxQueue: number;
  maxAttempts: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  /** Stores one batch (in its own transaction); throws on failure. `attempt` counts from 0. */
  write(events: PreparedEvent[], attempt: number): Promise<void>;
  onError: ((error: AppError, failure: AuditFailure) => void) | undefined;
  /** Runs `fn` outside the caller's async context (so no ambient transaction leaks in). */
  detach(fn: () => void): void;
}

interface FlushWaiter {
  target: number;
  failedBefore: number;
  hadUnreported: boolean;
  resolve(): void;
  reject(err: AppError): void;
}

const closedError = () =>
  new ServiceUnavailableError('The audit log is closed; events can no longer be recorded', {
    code: 'AUDIT_LOG_CLOSED',
    retryable: false,
  });

/**
 * The queue behind batched `record()`: bounded (queued + in-flight ≤ maxQueue, producers
 * wait FIFO for space), one writer loop that takes up to `maxSize` events per batch,
 * retries transient failures with full-jitter backoff and reports permanent ones through
 * `onError` and the next settling `flush()`/`close()`. Nothing is dropped silently.
 */
export function createBatchWriter(s: BatchWriterSettings) {
  const queue: PreparedEvent[] = [];
  const spaceWaiters: { event: PreparedEvent; resolve(): void }[] = [];
  const flushWaiters: FlushWaiter[] = [];
  let inflight = 0;
  let accepted = 0;
  let settled = 0;
  let failedTotal = 0;
  let lastFailure: AppError | undefined;
  let unreported = false;
  let running = false;
  let urgent = false;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let closing: Promise<void> | undefined;

  const hasSpace = () => queue.length + inflight < s.maxQueue;

  function admitWaiters() {
    while (spaceWaiters.length > 0 && hasSpace()) {
      const w = spaceWaiters.shift()!;
      queue.push(w.event);
      accepted++;
      w.resolve();
    }
  }

  function schedule() {
    if (running || queue.length === 0) return;
    if (urgent || queue.length >= s.maxSize) {
      if (timer) clearTimeout(timer);
      timer = undefined;
      running = true;
      s.detach(() => void loop());
    } else if (!timer) {
      timer = setTimeout(() => {
        timer = undefined;
        if (running) return;
        running = true;
        s.detach(() => void loop());
      }, s.maxDelayMs);
    }
  }

  async function writeWithRetry(batch: PreparedEvent[]) {
    for (let attempt = 0; ; attempt++) {
      try {
        await s.write(batch, attempt);
        return;
      } catch (err) {
        if (attempt + 1 >= s.maxAttempts || !isTransient(err))
          throw writeFailed(err, batch.length, attempt + 1);
        await delay(backoffMs(attempt, s.retryBaseDelayMs, s.retryMaxDelayMs));
      }
    }
  }

  function report(error: AppError, batch: PreparedEvent[]) {
    failedTotal += batch.length;
    lastFailure = error;
    unreported = true;
    try {
      s.onError?.(error, { ids: batch.map((e) => e.id), tenantIds: batch.map((e) => e.tenantId) });
    } catch {
      // A throwing handler must not stop the writer; the failure still rejects flush()/close().
    }
  }

  function settleFlushes() {
    for (let i = 0; i < flushWaiters.length; ) {
      const w = flushWaiters[i]!;
      if (w.target > settled) {
        i++;
        continue;
      }
      flushWaiters.splice(i, 1);
      const failed = failedTotal - w.failedBefore;
      if (failed > 0 || w.hadUnreported) {
        unreported = false;
        w.reject(
          new ServiceUnavailableError(
            'Audit events could not be stored; see onError for their ids',
            {
              code: 'AUDIT_WRITE_FAILED',
              retryable: false,
              details: { events: failed },
              cause: lastFailure,
            },
          ),
        );
      } else w.resolve();
    }
    if (flushWaiters.length === 0) urgent = false;
  }

  async function loop() {
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, s.maxSize);
        inflight = batch.length;
        try {
          await writeWithRetry(batch);
        } catch (err) {
          report(err as AppError, batch);
        } finally {
          inflight = 0;
          settled += batch.length;
          admitWaiters();
          settleFlushes();
        }
      }
    } finally {
      running = false;
      schedule();
    }
  }

  function flush(): Promise<void> {
    const target = accepted + spaceWaiters.length;
    return new Promise<void>((resolve, reject) => {
      flushWaiters.push({
        target,
        failedBefore: failedTotal,
        hadUnreported: unreported,
        resolve,
        reject,
      });
      urgent = true;
      settleFlushes();
      schedule();
    });
  }

  return {
    push(event: PreparedEvent): Promise<void> {
      if (closed) return Promise.reject(closedError());
      if (spaceWaiters.length === 0 && hasSpace()) {
        queue.push(event);
        accepted++;
        schedule();
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        spaceWaiters.push({ event, resolve });
        schedule();
      });
    },
    flush,
    close() {
      closed = true;
      closing ??= flush();
      return closing;
    },
  };
}
