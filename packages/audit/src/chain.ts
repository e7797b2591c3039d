import { getContext } from '@plinth/context';
import { invalidOptions } from '@plinth/errors';
import { isPlainText } from './text-rules.js';

/**
 * Stored `tenant_id` of the no-tenant chain (events such as `auth.login.failed` recorded
 * while no tenant is known). A tenant id is 1–128 characters, so the empty string can never
 * be one: no tenant can write to, read or verify this chain by choosing its id. The public
 * API spells it `null`.
 */
export const NO_TENANT_KEY = '';

/** Context sources that may name a chain explicitly (ADR 0082). */
const SYSTEM_SOURCES: ReadonlySet<string> = new Set(['job', 'cli']);

/** The stored chain key of a public tenant id (`null`: the no-tenant chain). */
export const chainKey = (tenantId: string | null): string => tenantId ?? NO_TENANT_KEY;

/** The public tenant id of a stored chain key. */
export const tenantOf = (key: string): string | null => (key === NO_TENANT_KEY ? null : key);

/** A tenant id as the public API accepts it: 1–128 characters without control characters, or `null`. */
export const isTenantId = (value: unknown): value is string | null =>
  value === null || isPlainText(value, 128);

/**
 * The chain a read (`query`, `verify`, `head`, `readRange`) addresses, fail-closed: the
 * context's tenant, or, only inside a system context (`runJob`/`runCli`), an explicit
 * `tenantId` (`null` = the no-tenant chain). Returns the stored chain key.
 */
export function readChain(subject: string, tenantId: string | null | undefined): string {
  const ctx = getContext();
  if (tenantId !== undefined) {
    if (ctx === undefined || !SYSTEM_SOURCES.has(ctx.source))
      throw invalidOptions(
        subject,
        {
          path: 'tenantId',
          message:
            'may be passed only in a system context (runJob or runCli); a request reads the tenant of its context',
        },
        { code: 'AUDIT_TENANT_NOT_ALLOWED' },
      );
    if (!isTenantId(tenantId))
      throw invalidOptions(subject, {
        path: 'tenantId',
        message: 'must be 1-128 characters without control characters, or null (no tenant)',
      });
    return chainKey(tenantId);
  }
  const own = ctx?.tenantId;
  if (!isPlainText(own, 128))
    throw invalidOptions(
      subject,
      {
        path: 'tenantId',
        message:
          'no tenant in the context: call inside a context with a tenant, or pass tenantId from runJob/runCli',
      },
      { code: 'AUDIT_TENANT_REQUIRED' },
    );
  return own;
}
