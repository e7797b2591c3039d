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

/** Throws INVALID_OPTIONS unless `value` is a tenant id (1–128 characters, no control characters) or `null`. */
export function checkTenantId(subject: string, value: unknown): asserts value is string | null {
  if (value !== null && !isPlainText(value, 128))
    throw invalidOptions(subject, {
      path: 'tenantId',
      message: 'must be 1-128 characters without control characters, or null (no tenant)',
    });
}

/**
 * The chain a read (`query`, `verify`, `head`, `readRange`) addresses, fail-closed: the
 * context's tenant, or, only inside a system context (`runJob`/`runCli`), an explicit
 * `tenantId` (`null` = the no-tenant chain). Returns the stored chain key.
 */
export function readChain(subject: string, tenantId: string | null | undefined): string {
  const ctx = getContext();
  const refuse = (code: string, message: string) =>
    invalidOptions(subject, { path: 'tenantId', message }, { code });
  if (tenantId === undefined) {
    if (isPlainText(ctx?.tenantId, 128)) return ctx.tenantId;
    throw refuse(
      'AUDIT_TENANT_REQUIRED',
      'is not in the context (and only runJob/runCli may name it)',
    );
  }
  if (!SYSTEM_SOURCES.has(ctx?.source ?? ''))
    throw refuse(
      'AUDIT_TENANT_NOT_ALLOWED',
      'may be named only in runJob/runCli; requests read their own',
    );
  checkTenantId(subject, tenantId);
  return chainKey(tenantId);
}
