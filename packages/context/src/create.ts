import { randomUUID } from 'node:crypto';
import { ValidationError } from '@plinth/errors';
import type { Principal, PrincipalInit, RequestContext, RequestContextInit } from './types.js';

const SOURCES = new Set(['http', 'job', 'cli', 'test']);

function freezePrincipal(p: PrincipalInit): Principal {
  if (typeof p.id !== 'string' || p.id.length === 0) {
    throw new ValidationError('principal.id must be a non-empty string', {
      errors: [{ path: 'principal.id', message: 'Required', code: 'required' }],
    });
  }
  return Object.freeze({
    id: p.id,
    type: p.type ?? 'user',
    roles: Object.freeze([...(p.roles ?? [])]),
    scopes: Object.freeze([...(p.scopes ?? [])]),
    claims: Object.freeze({ ...(p.claims ?? {}) }),
  });
}

/**
 * Build a frozen context. Missing ids are generated (UUID v4).
 *
 * @example
 * ```ts
 * import { createRequestContext, runWithContext } from '@plinth/context';
 *
 * const ctx = createRequestContext({ source: 'http', tenantId: 't1' });
 * runWithContext(ctx, () => handle());
 * ```
 */
export function createRequestContext(init: RequestContextInit = {}): RequestContext {
  const source = init.source ?? 'http';
  if (!SOURCES.has(source)) {
    throw new ValidationError('source must be one of http, job, cli, test', {
      errors: [{ path: 'source', message: 'Invalid source', code: 'invalid_enum' }],
    });
  }
  const ctx: RequestContext = {
    correlationId: init.correlationId ?? randomUUID(),
    correlationIdSource: init.correlationId ? (init.correlationIdSource ?? 'client') : 'generated',
    requestId: init.requestId ?? randomUUID(),
    tenantId: init.tenantId,
    principal: init.principal ? freezePrincipal(init.principal) : undefined,
    source,
    startedAt: init.startedAt ?? Date.now(),
    ip: init.ip,
    userAgent: init.userAgent,
  };
  return Object.freeze(ctx);
}
