import { randomUUID } from 'node:crypto';
import { getContext } from '@plinth/context';
import { createSanitizer, invalidOptions } from '@plinth/errors';
import { canonicalJson } from './canonical-json.js';
import { chainKey } from './chain.js';
import { Issues } from './errors.js';
import { firstNonJsonPath } from './json-data.js';
import type { AuditCipher } from './log-types.js';
import { ACTION, cleanHeader, isPlainText, TOKEN, TYPE_NAME, toDate } from './text-rules.js';
import type { AuditEvent, StoredAuditRow } from './types.js';

/** A validated event, sensitive data already encrypted; chain fields are added at write time. */
export type PreparedEvent = Omit<StoredAuditRow, 'seq' | 'recordedAt' | 'prevHash' | 'hash'> & {
  /** The caller chose the id (so it may already be stored); generated UUIDs cannot be, on a first attempt. */
  readonly callerId: boolean;
};

export interface PrepareSettings {
  cipher: AuditCipher | undefined;
  maxMetadataBytes: number;
  maxSensitiveBytes: number;
  userAgentMaxLength: number;
}

const OUTCOMES = new Set(['success', 'failure', 'denied']);
const sanitizeMetadata = createSanitizer({ maxDepth: 8, maxArrayLength: 200 });

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Encryption context binding a sensitive payload to its event and chain (stored key). */
export function sensitiveContext(id: string, key: string): Record<string, string> {
  return { column: 'sensitive', row: id, table: 'audit_events', tenant: key };
}

/**
 * Validates `event`, fills gaps from the request context, sanitizes metadata and
 * encrypts `sensitive`. Throws one ValidationError listing every problem; messages
 * name fields, never values.
 */
export function prepareEvent(event: AuditEvent, s: PrepareSettings): PreparedEvent {
  const issues = new Issues();
  if (!isPlainObject(event)) {
    issues.add('', 'must be an object', 'invalid_type');
    issues.throwIfAny('audit event');
  }
  const ctx = getContext();
  const e = event as AuditEvent;

  const id = e.id ?? randomUUID();
  if (!TOKEN.test(String(id)) || typeof id !== 'string')
    issues.add('id', 'must match [A-Za-z0-9._:-]{1,128}');
  if (typeof e.action !== 'string' || e.action.length > 128 || !ACTION.test(e.action))
    issues.add('action', "must be a dotted lower-case verb like 'client.created'");
  if (!OUTCOMES.has(e.outcome as string))
    issues.add('outcome', 'must be success, failure or denied', 'invalid_enum');

  // No tenant known (a failed login, a rejected token): the event joins the no-tenant chain.
  const tenantId = e.tenantId !== undefined ? e.tenantId : (ctx?.tenantId ?? null);
  if (tenantId !== null && !isPlainText(tenantId, 128))
    issues.add('tenantId', 'must be 1-128 characters without control characters');

  let actorId: string | null = null;
  let actorType: string | null = null;
  const actor = e.actor === undefined ? ctx?.principal : e.actor;
  if (actor !== null && actor !== undefined) {
    if (!isPlainObject(actor) || !isPlainText(actor.id, 256))
      issues.add('actor.id', 'must be 1-256 characters without control characters');
    else actorId = actor.id;
    if (isPlainObject(actor) && !TYPE_NAME.test(String(actor.type ?? '')))
      issues.add('actor.type', 'must match [A-Za-z][A-Za-z0-9_.-]{0,63}');
    else if (isPlainObject(actor)) actorType = actor.type as string;
  }

  let resourceType: string | null = null;
  let resourceId: string | null = null;
  if (e.resource !== undefined && e.resource !== null) {
    const r = e.resource;
    if (!isPlainObject(r) || !TYPE_NAME.test(String(r.type ?? '')))
      issues.add('resource.type', 'must match [A-Za-z][A-Za-z0-9_.-]{0,63}');
    else resourceType = r.type;
    const rid =
      isPlainObject(r) && typeof r.id === 'number' && Number.isSafeInteger(r.id)
        ? String(r.id)
        : r?.id;
    if (!isPlainText(rid, 256))
      issues.add('resource.id', 'must be a string of 1-256 characters or a safe integer');
    else resourceId = rid;
  }

  const tokenOf = (path: 'correlationId' | 'requestId') => {
    const value = e[path] ?? ctx?.[path] ?? null;
    if (value !== null && !TOKEN.test(String(value)))
      issues.add(path, 'must match [A-Za-z0-9._:-]{1,128}');
    return value;
  };
  const correlationId = tokenOf('correlationId');
  const requestId = tokenOf('requestId');
  const ip = e.ip ?? ctx?.ip ?? null;
  if (ip !== null && !isPlainText(ip, 64))
    issues.add('ip', 'must be 1-64 characters without control characters');
  const rawAgent = e.userAgent ?? ctx?.userAgent;
  if (rawAgent !== undefined && typeof rawAgent !== 'string')
    issues.add('userAgent', 'must be a string', 'invalid_type');
  const userAgent =
    typeof rawAgent === 'string' && rawAgent.length > 0
      ? cleanHeader(rawAgent, s.userAgentMaxLength) || null
      : null;

  const occurred = e.occurredAt === undefined ? new Date() : toDate(e.occurredAt);
  if (occurred === undefined)
    issues.add('occurredAt', 'must be a valid date between 1970 and 9999', 'invalid_date');

  let metadata: string | null = null;
  if (e.metadata !== undefined && e.metadata !== null) {
    if (!isPlainObject(e.metadata))
      issues.add('metadata', 'must be a plain object', 'invalid_type');
    else {
      metadata = canonicalJson(sanitizeMetadata(e.metadata));
      if (Buffer.byteLength(metadata) > s.maxMetadataBytes)
        issues.add('metadata', `must be at most ${s.maxMetadataBytes} bytes as JSON`, 'too_big');
    }
  }

  let sensitivePlain: string | undefined;
  if (e.sensitive !== undefined && e.sensitive !== null) {
    const badPath = isPlainObject(e.sensitive) ? firstNonJsonPath(e.sensitive) : undefined;
    if (!isPlainObject(e.sensitive))
      issues.add('sensitive', 'must be a plain object', 'invalid_type');
    else if (badPath !== undefined)
      issues.add(
        badPath ? `sensitive.${badPath}` : 'sensitive',
        'must be JSON data (strings, finite numbers, booleans, null, valid Dates, arrays, plain objects; no cycles, depth ≤ 32)',
        'invalid_type',
      );
    else {
      sensitivePlain = canonicalJson(e.sensitive);
      if (Buffer.byteLength(sensitivePlain) > s.maxSensitiveBytes)
        issues.add('sensitive', `must be at most ${s.maxSensitiveBytes} bytes as JSON`, 'too_big');
    }
  }
  issues.throwIfAny('audit event');

  let sensitive: string | null = null;
  if (sensitivePlain !== undefined) {
    if (s.cipher === undefined)
      throw invalidOptions(
        'record',
        { path: 'sensitive', message: 'needs createAuditLog({ cipher })' },
        { code: 'AUDIT_CIPHER_MISSING' },
      );
    sensitive = s.cipher.encrypt(sensitivePlain, sensitiveContext(id, chainKey(tenantId)));
  }

  return {
    callerId: e.id !== undefined,
    tenantId,
    id,
    occurredAt: (occurred as Date).toISOString(),
    action: e.action,
    outcome: e.outcome,
    actorId,
    actorType,
    resourceType,
    resourceId,
    correlationId,
    requestId,
    ip,
    userAgent,
    metadata,
    sensitive,
  };
}
