import type { Database } from '@plinth/db-repository';
import { sql } from '@plinth/db-repository';
import { chainKey } from './chain.js';
import { computeEventHash, GENESIS_HASH } from './hash.js';
import type { PreparedEvent } from './prepare-event.js';
import { COLUMNS, FIELDS } from './rows.js';
import type { StoredAuditRow } from './types.js';

/** What one append did. */
export interface AppendResult {
  inserted: number;
  /** Events skipped because their id was already stored for the tenant. */
  duplicates: number;
}

/**
 * Appends `events` to their chains (one per tenant, plus the no-tenant chain). MUST run inside a transaction (the
 * caller's ambient one, or the batch writer's): it locks each tenant's chain head
 * `FOR UPDATE` (in tenant order, so two writers never deadlock on each other), skips
 * ids already stored, links and hashes the rest, inserts them with one multi-row
 * INSERT and moves the heads. The lock makes seq assignment and `prev_hash` linking
 * serial per tenant across every connection and process.
 */
export async function appendEvents(
  db: Database,
  events: readonly PreparedEvent[],
  recordedAt: Date,
  retry = false,
): Promise<AppendResult> {
  const tenants = [...new Set(events.map((e) => chainKey(e.tenantId)))].sort();
  await db.query(sql`
    INSERT INTO audit_chain_heads (tenant_id, seq, hash)
    SELECT t, 0, ${GENESIS_HASH} FROM unnest(${tenants}::text[]) AS t
    ON CONFLICT (tenant_id) DO NOTHING`);
  const heads = await db.many<{ tenant_id: string; seq: string; hash: string }>(sql`
    SELECT tenant_id, seq, hash FROM audit_chain_heads
    WHERE tenant_id = ANY(${tenants}::text[]) ORDER BY tenant_id FOR UPDATE`);
  const tip = new Map(heads.map((h) => [h.tenant_id, { seq: Number(h.seq), hash: h.hash }]));
  const before = new Map(heads.map((h) => [h.tenant_id, Number(h.seq)]));

  // A generated UUID can only be stored already if an earlier attempt of this very batch
  // committed without us hearing back; so the lookup covers caller-chosen ids, and every id
  // on a retry.
  const ids = [...new Set(events.filter((e) => retry || e.callerId).map((e) => e.id))];
  const existing =
    ids.length === 0
      ? []
      : await db.many<{ tenant_id: string; id: string }>(sql`
          SELECT tenant_id, id FROM audit_events
          WHERE tenant_id = ANY(${tenants}::text[]) AND id = ANY(${ids}::text[])`);
  const seen = new Set(existing.map((r) => `${r.tenant_id}\u0000${r.id}`));

  const at = recordedAt.toISOString();
  const rows: StoredAuditRow[] = [];
  for (const e of events) {
    const chain = chainKey(e.tenantId);
    const key = `${chain}\u0000${e.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const head = tip.get(chain)!;
    const { callerId: _callerId, ...fields } = e;
    const unhashed = { ...fields, seq: head.seq + 1, recordedAt: at, prevHash: head.hash };
    const row: StoredAuditRow = { ...unhashed, hash: computeEventHash(unhashed) };
    head.seq = row.seq;
    head.hash = row.hash;
    rows.push(row);
  }
  if (rows.length === 0) return { inserted: 0, duplicates: events.length };

  const moved = tenants.filter((t) => tip.get(t)!.seq > before.get(t)!);
  // One round trip: the rows (one array per column) and the moved heads in a single statement.
  const arrays = COLUMNS.map((c, i) => {
    const values = rows.map((r) => (c === 'tenant_id' ? chainKey(r.tenantId) : r[FIELDS[i]!]));
    const type = c === 'seq' ? 'bigint' : c.endsWith('_at') ? 'timestamptz' : 'text';
    return sql`${values}::${sql.unsafe(type)}[]`;
  });
  await db.query(sql`
    WITH appended AS (
      INSERT INTO audit_events (${sql.unsafe(COLUMNS.join(', '))})
      SELECT * FROM unnest(${sql.join(arrays, sql`, `)})
    )
    UPDATE audit_chain_heads AS h SET seq = v.seq, hash = v.hash, updated_at = now()
    FROM unnest(${moved}::text[], ${moved.map((t) => tip.get(t)!.seq)}::bigint[],
                ${moved.map((t) => tip.get(t)!.hash)}::text[]) AS v(tenant_id, seq, hash)
    WHERE h.tenant_id = v.tenant_id`);
  return { inserted: rows.length, duplicates: events.length - rows.length };
}
