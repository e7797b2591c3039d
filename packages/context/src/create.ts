import { randomUUID } from 'node:crypto';
import {
  invalidOptions,
  type OptionIssue,
  requireOptionsObject,
  UnauthorizedError,
} from '@plinth/errors';
import { copyClaims } from './claims.js';
import { isValidCorrelationId } from './correlation.js';
import { isSealed, seal } from './trusted.js';
import type { Principal, PrincipalInit, RequestContext, RequestContextInit } from './types.js';

const SOURCES = new Set(['http', 'job', 'cli', 'test']);
const ID_SOURCES = new Set(['client', 'generated']);
const MAX_TEXT = 512;
// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
const TYPE_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const text = (max: number) => `must be a string of 1-${max} characters without control characters`;
// Built once, not per context.
const TEXT_128 = text(128);
const TEXT_256 = text(256);
const TEXT_MAX = text(MAX_TEXT);

const isText = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= max && !CONTROL.test(value);

/** Problems by who must fix them: the calling code (500) or the credentials (401). */
type Issues = { code: OptionIssue[]; auth: OptionIssue[] };

const issue = (path: string, message: string): OptionIssue => ({ path, message, code: 'invalid' });

/** `issues` (created on the first problem: nothing is allocated while every check passes) with one more. */
function add(
  issues: Issues | undefined,
  kind: keyof Issues,
  path: string,
  message: string,
): Issues {
  const to = issues ?? { code: [], auth: [] };
  to[kind].push(issue(path, message));
  return to;
}

/** Sent by clients (headers, socket): never fails a request. Non-strings are dropped, long values cut. */
const clientText = (value: unknown) =>
  typeof value === 'string' && value !== '' ? value.slice(0, MAX_TEXT) : undefined;

function list(value: unknown, path: string, issues: Issues): readonly string[] {
  const ok =
    value === undefined || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
  if (!ok) add(issues, 'auth', path, 'must be an array of strings');
  return Object.freeze(ok && value ? [...(value as string[])] : []);
}

function principalOf(p: PrincipalInit, issues: Issues): Principal | undefined {
  const claims = p?.claims ?? {};
  const proto = typeof claims === 'object' ? Object.getPrototypeOf(claims) : undefined;
  if (p === null || typeof p !== 'object' || (proto !== Object.prototype && proto !== null)) {
    add(issues, 'code', 'principal', 'must be an object whose claims are an object');
    return undefined;
  }
  const bad: string[] = [];
  const frozenClaims = copyClaims(claims, bad);
  for (const path of bad) {
    add(issues, 'code', path, 'must be JSON data (convert Date, Map, Set, class instances)');
  }
  const { id, type = 'user' } = p;
  if (!isText(id, 256)) add(issues, 'auth', 'principal.id', TEXT_256);
  if (!(typeof type === 'string' && TYPE_NAME.test(type)))
    add(issues, 'auth', 'principal.type', `must match ${TYPE_NAME.source}`);
  return seal({
    id,
    type,
    roles: list(p.roles, 'principal.roles', issues),
    scopes: list(p.scopes, 'principal.scopes', issues),
    claims: frozenClaims,
  });
}

function fail(issues: Issues): never {
  if (issues.code.length > 0) throw invalidOptions('createRequestContext', issues.code);
  // Auth data comes from verified credentials: an unusable value is an invalid token (401), never
  // a 400. The paths stay internal; a client learns nothing about which claim was refused.
  throw new UnauthorizedError('Invalid credentials', {
    code: 'CONTEXT_AUTH_INVALID',
    context: { issues: issues.auth },
  });
}

/**
 * Build a frozen context (principal, roles, scopes and claims included),
 * sorting bad input by who must fix it:
 * - client data is repaired, never refused: a missing or invalid `correlationId`
 *   or `requestId` is replaced by a fresh UUID v4 (`correlationIdSource:
 *   'generated'`), `ip` and `userAgent` are cut to 512 characters;
 * - auth data (`tenantId`, `principal.id`, `type`, `roles`, `scopes`) that is
 *   unusable throws an `UnauthorizedError` (401, code `CONTEXT_AUTH_INVALID`),
 *   with the failing paths only in its internal `context`;
 * - the calling code's mistakes (`source`, `startedAt`, `operation`, a
 *   principal or claims that are not objects, claims that are not JSON data)
 *   throw `invalidOptions` (500, `INVALID_OPTIONS`).
 * Values never appear in messages.
 *
 * @example
 * ```ts
 * import { createRequestContext, runWithContext } from '@plinth/context';
 *
 * const ctx = createRequestContext({ source: 'http', correlationId: req.headers['x-correlation-id'] as string });
 * runWithContext(ctx, () => handle());
 * ```
 */
export function createRequestContext(input: RequestContextInit = {}): RequestContext {
  return buildContext(input, undefined);
}

/**
 * `init` checked and frozen. A value equal to the one in `trusted` (a context
 * this package built, so already checked: the parent of `deriveContext`) is
 * not checked again; everything else is, as for a new context.
 */
export function buildContext(
  input: RequestContextInit,
  trusted: RequestContext | undefined,
): RequestContext {
  const init = requireOptionsObject(input ?? {}, 'createRequestContext');
  const { source = 'http', startedAt = Date.now(), operation, tenantId } = init;
  // Nothing is allocated for the checks unless one fails (a context is built per request).
  let issues: Issues | undefined;
  if (!SOURCES.has(source))
    issues = add(issues, 'code', 'source', 'must be one of http, job, cli, test');
  if (!Number.isFinite(startedAt))
    issues = add(issues, 'code', 'startedAt', 'must be epoch milliseconds');
  if (operation !== undefined && operation !== trusted?.operation && !isText(operation, MAX_TEXT))
    issues = add(issues, 'code', 'operation', TEXT_MAX);
  const clientId =
    (trusted !== undefined && init.correlationId === trusted.correlationId) ||
    isValidCorrelationId(init.correlationId);
  const correlationIdSource = clientId ? (init.correlationIdSource ?? 'client') : 'generated';
  if (!ID_SOURCES.has(correlationIdSource))
    issues = add(issues, 'code', 'correlationIdSource', 'must be client or generated');
  if (tenantId !== undefined && tenantId !== trusted?.tenantId && !isText(tenantId, 128))
    issues = add(issues, 'auth', 'tenantId', TEXT_128);
  let principal: Principal | undefined;
  if (init.principal !== undefined) {
    if (isSealed(init.principal)) principal = init.principal as Principal;
    else {
      issues ??= { code: [], auth: [] };
      principal = principalOf(init.principal, issues);
    }
  }
  if (issues && (issues.code.length > 0 || issues.auth.length > 0)) fail(issues);
  const requestId =
    (trusted !== undefined && init.requestId === trusted.requestId) ||
    isValidCorrelationId(init.requestId)
      ? (init.requestId as string)
      : randomUUID();
  return seal({
    correlationId: clientId ? (init.correlationId as string) : randomUUID(),
    correlationIdSource,
    requestId,
    tenantId,
    principal,
    source,
    startedAt,
    ip: clientText(init.ip),
    userAgent: clientText(init.userAgent),
    operation,
  });
}
