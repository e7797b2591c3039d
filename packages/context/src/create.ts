import { randomUUID } from 'node:crypto';
import { ValidationError, type ValidationIssue } from '@plinth/errors';
import { isValidCorrelationId } from './correlation.js';
import { deepFreezeCopy } from './freeze.js';
import { seal } from './trusted.js';
import type { Principal, PrincipalInit, RequestContext, RequestContextInit } from './types.js';

const SOURCES = new Set(['http', 'job', 'cli', 'test']);
const MAX_TEXT = 512;

type Issues = ValidationIssue[];

function optionalText(value: unknown, path: string, issues: Issues): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TEXT) {
    issues.push({
      path,
      message: `Must be a string of 1-${MAX_TEXT} characters`,
      code: 'invalid_type',
    });
    return undefined;
  }
  return value;
}

/** User agents are client-controlled and unbounded: keep the first 512 characters. */
function userAgentOf(value: unknown, issues: Issues): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') {
    issues.push({ path: 'userAgent', message: 'Must be a string', code: 'invalid_type' });
    return undefined;
  }
  return value.length > MAX_TEXT ? value.slice(0, MAX_TEXT) : value;
}

function stringList(value: unknown, path: string, issues: Issues): readonly string[] {
  if (value === undefined) return Object.freeze([]);
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    issues.push({ path, message: 'Must be an array of strings', code: 'invalid_type' });
    return Object.freeze([]);
  }
  return Object.freeze([...value]);
}

function freezePrincipal(p: PrincipalInit, issues: Issues): Principal | undefined {
  if (p === null || typeof p !== 'object') {
    issues.push({ path: 'principal', message: 'Must be an object', code: 'invalid_type' });
    return undefined;
  }
  if (typeof p.id !== 'string' || p.id.length === 0) {
    issues.push({ path: 'principal.id', message: 'Required', code: 'required' });
  }
  const claims = p.claims ?? {};
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) {
    issues.push({ path: 'principal.claims', message: 'Must be an object', code: 'invalid_type' });
  }
  return Object.freeze({
    id: p.id,
    type: optionalText(p.type, 'principal.type', issues) ?? 'user',
    roles: stringList(p.roles, 'principal.roles', issues),
    scopes: stringList(p.scopes, 'principal.scopes', issues),
    claims: deepFreezeCopy(claims) as Readonly<Record<string, unknown>>,
  });
}

function id(value: unknown, path: string, issues: Issues): string {
  if (value === undefined) return randomUUID();
  if (!isValidCorrelationId(value)) {
    issues.push({ path, message: 'Must match [A-Za-z0-9._:-]{1,128}', code: 'invalid_string' });
  }
  return value as string;
}

/**
 * Build a frozen context (principal, roles, scopes and claims included).
 * Missing ids are generated (UUID v4). Invalid input throws a
 * `ValidationError` listing every problem; values never appear in messages.
 *
 * @example
 * ```ts
 * import { createRequestContext, runWithContext } from '@plinth/context';
 *
 * const ctx = createRequestContext({ source: 'http', tenantId: 't1' });
 * runWithContext(ctx, () => handle());
 * ```
 */
export function createRequestContext(input: RequestContextInit = {}): RequestContext {
  if (input !== null && input !== undefined && typeof input !== 'object') {
    throw new ValidationError('Invalid request context', {
      errors: [{ path: '', message: 'Must be an object', code: 'invalid_type' }],
    });
  }
  const init = input ?? {};
  const issues: Issues = [];
  const source = init.source ?? 'http';
  if (!SOURCES.has(source)) {
    issues.push({
      path: 'source',
      message: 'Must be one of http, job, cli, test',
      code: 'invalid_enum',
    });
  }
  const correlationId = id(init.correlationId, 'correlationId', issues);
  const requestId = id(init.requestId, 'requestId', issues);
  const startedAt = init.startedAt ?? Date.now();
  if (typeof startedAt !== 'number' || !Number.isFinite(startedAt)) {
    issues.push({ path: 'startedAt', message: 'Must be epoch milliseconds', code: 'invalid_type' });
  }
  const correlationIdSource =
    init.correlationId === undefined ? 'generated' : (init.correlationIdSource ?? 'client');
  if (correlationIdSource !== 'client' && correlationIdSource !== 'generated') {
    issues.push({
      path: 'correlationIdSource',
      message: 'Must be client or generated',
      code: 'invalid_enum',
    });
  }
  const ctx: RequestContext = {
    correlationId,
    correlationIdSource,
    requestId,
    tenantId: optionalText(init.tenantId, 'tenantId', issues),
    principal: init.principal === undefined ? undefined : freezePrincipal(init.principal, issues),
    source,
    startedAt,
    ip: optionalText(init.ip, 'ip', issues),
    userAgent: userAgentOf(init.userAgent, issues),
    operation: optionalText(init.operation, 'operation', issues),
  };
  if (issues.length > 0) {
    throw new ValidationError('Invalid request context', { errors: issues });
  }
  return seal(ctx);
}
