import { createRequestContext } from './create.js';
import { runWithContext } from './store.js';
import type { ContextSource, PrincipalInit, RequestContext } from './types.js';

/** Options for {@link runJob} and {@link runCli}. */
export interface EntryOptions {
  /**
   * Correlation id to continue (e.g. the one of the request that enqueued the
   * job). Validated like a header: an unacceptable value is replaced by a
   * fresh id instead of throwing, so a poisoned job still runs.
   */
  correlationId?: string | undefined;
  /**
   * The job payload. When `correlationId` is not given and the payload is an
   * object with a string `correlationId` property, that id is continued.
   */
  payload?: unknown;
  tenantId?: string | undefined;
  principal?: PrincipalInit | undefined;
}

function runEntry<T>(
  source: ContextSource,
  name: string,
  fn: (ctx: RequestContext) => T,
  options: EntryOptions,
): T {
  // An unacceptable carried id is replaced by createRequestContext, never refused.
  const carried =
    options.correlationId ?? (options.payload as { correlationId?: unknown } | null)?.correlationId;
  const ctx = createRequestContext({
    source,
    operation: name,
    correlationId: carried as string | undefined,
    tenantId: options.tenantId,
    principal: options.principal,
  });
  return runWithContext(ctx, () => fn(ctx));
}

/**
 * Run one background job inside a fresh `source: 'job'` context whose
 * `operation` is `name`. Continues the correlation id given in `options` or
 * carried in `options.payload.correlationId`, so the job's logs join the
 * request that enqueued it. Returns what `fn` returns; errors propagate.
 *
 * @example
 * ```ts
 * import { runJob } from '@plinth/context';
 *
 * queue.process((job: { data: { id: string } }) => runJob('send-invoice', () => sendInvoice(job.data), { payload: job.data }));
 * ```
 */
export function runJob<T>(
  name: string,
  fn: (ctx: RequestContext) => T,
  options: EntryOptions = {},
): T {
  return runEntry('job', name, fn, options);
}

/**
 * Run a CLI command or script inside a fresh `source: 'cli'` context whose
 * `operation` is `name`. Same options as {@link runJob}.
 *
 * @example
 * ```ts
 * import { runCli } from '@plinth/context';
 *
 * await runCli('backfill-emails', async () => backfill());
 * ```
 */
export function runCli<T>(
  name: string,
  fn: (ctx: RequestContext) => T,
  options: EntryOptions = {},
): T {
  return runEntry('cli', name, fn, options);
}
