import { expect } from 'vitest';
import type { Api, Json } from './api.js';

/** One event as GET /v1/audit-events returns it (the fields the cases read). */
export interface AuditView {
  action: string;
  outcome: 'success' | 'failure' | 'denied';
  resourceId: string | null;
  actorId: string | null;
  correlationId: string | null;
  raw: Json;
}

const view = (e: Json): AuditView => ({
  action: e.action,
  outcome: e.outcome,
  resourceId: e.resource?.id ?? e.resourceId ?? null,
  actorId: e.actor?.id ?? e.actorId ?? null,
  correlationId: e.correlationId ?? null,
  raw: e,
});

/** The events of a page of GET /v1/audit-events. */
export function eventsOf(body: Json): AuditView[] {
  const items = Array.isArray(body) ? body : (body?.items ?? body?.events);
  expect(Array.isArray(items), `audit page: ${JSON.stringify(body).slice(0, 300)}`).toBe(true);
  return (items as Json[]).map(view);
}

/** Every event about `resourceId` the admin token can read (following cursors, at most 20 pages). */
export async function auditTrail(api: Api, adminToken: string, resourceId: string) {
  const all: AuditView[] = [];
  let cursor: string | null | undefined;
  for (let page = 0; page < 20; page++) {
    const query = `resourceId=${encodeURIComponent(resourceId)}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const reply = await api.call('GET', `/v1/audit-events?${query}`, { token: adminToken });
    expect(reply.status, reply.text).toBe(200);
    all.push(...eventsOf(reply.body));
    cursor = Array.isArray(reply.body) ? null : reply.body.nextCursor;
    if (!cursor) break;
  }
  return all;
}

/** Polls the trail of `resourceId` until `match` finds an event (audit writes may be batched). */
export async function waitForEvent(
  api: Api,
  adminToken: string,
  resourceId: string,
  match: (e: AuditView) => boolean,
  timeoutMs = 8000,
): Promise<AuditView> {
  let found: AuditView | undefined;
  await expect
    .poll(
      async () => {
        found = (await auditTrail(api, adminToken, resourceId)).find(match);
        return found !== undefined;
      },
      { timeout: timeoutMs, interval: 200 },
    )
    .toBe(true);
  return found as AuditView;
}
