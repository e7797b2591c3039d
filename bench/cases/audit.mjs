// Sustained batched audit `record()` vs a raw multi-row INSERT of rows of the same shape
// into a table with the same columns and indexes, both on the PostgreSQL at DATABASE_URL
// (default postgres://postgres@127.0.0.1:5432/test). Each round the audit side records for
// the round's duration from 4 producers and then flushes, so the rate counts only events
// that reached the table. `check` counts rows and verifies the chains: 0 lost.
import { randomBytes, randomUUID } from 'node:crypto';
import { createAuditLog } from '@plinth/audit';
import { runJob } from '@plinth/context';
import { createDatabase, sql } from '@plinth/db-repository';
import pg from 'pg';

const URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const PRODUCERS = 4;
const BATCH = 500;
const TENANTS = ['bench-a', 'bench-b'];

const COLUMNS = [
  'tenant_id',
  'seq',
  'id',
  'occurred_at',
  'recorded_at',
  'action',
  'outcome',
  'actor_id',
  'actor_type',
  'resource_type',
  'resource_id',
  'correlation_id',
  'request_id',
  'ip',
  'user_agent',
  'metadata',
  'sensitive',
  'prev_hash',
  'hash',
];

function rawRow(seq) {
  const now = new Date().toISOString();
  const hash = randomBytes(32).toString('hex');
  return [
    TENANTS[seq % 2],
    seq,
    randomUUID(),
    now,
    now,
    'document.read',
    'success',
    'user-1',
    'user',
    'document',
    String(seq),
    'corr-1',
    'req-1',
    '203.0.113.9',
    'bench/1.0',
    `{"n":${seq}}`,
    null,
    hash,
    hash,
  ];
}

export default [
  {
    name: 'audit record, batched, sustained (4 producers, flush per round)',
    anchorName: `raw multi-row INSERT of ${BATCH} rows, same columns and indexes`,
    metric: 'rate',
    unit: 'events/s',
    target: { min: 0.7 },
    async setup() {
      const schema = `bench_audit_${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: URL });
      await admin.connect();
      await admin.query(`CREATE SCHEMA "${schema}"`);
      const db = createDatabase({ connectionString: URL, searchPath: [schema, 'public'] });
      const { writer, reader, maintenance } = createAuditLog({ db, batch: { maxSize: BATCH } });
      await maintenance.migrate();
      await db.query(
        sql`CREATE TABLE raw_events (LIKE audit_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)`,
      );
      const pool = new pg.Pool({
        connectionString: URL,
        max: 1,
        options: `-c search_path=${schema}`,
      });
      let recorded = 0;
      let rawSeq = 0;

      const placeholders = Array.from(
        { length: BATCH },
        (_, r) => `(${COLUMNS.map((_, c) => `$${r * COLUMNS.length + c + 1}`).join(', ')})`,
      ).join(', ');
      const insertText = `INSERT INTO raw_events (${COLUMNS.join(', ')}) VALUES ${placeholders}`;

      return {
        async anchor(durationMs) {
          const started = performance.now();
          let n = 0;
          while (performance.now() - started < durationMs) {
            const values = [];
            for (let i = 0; i < BATCH; i++) values.push(...rawRow(++rawSeq));
            await pool.query(insertText, values);
            n += BATCH;
          }
          return (n * 1000) / (performance.now() - started);
        },
        async subject(durationMs) {
          const started = performance.now();
          let n = 0;
          const producer = async (p) => {
            while (performance.now() - started < durationMs) {
              await writer.record({
                tenantId: TENANTS[n % 2],
                action: 'document.read',
                outcome: 'success',
                actor: { id: `user-${p}`, type: 'user' },
                resource: { type: 'document', id: n },
                correlationId: 'corr-1',
                requestId: 'req-1',
                ip: '203.0.113.9',
                userAgent: 'bench/1.0',
                metadata: { n },
              });
              n++;
            }
          };
          await Promise.all(Array.from({ length: PRODUCERS }, (_, p) => producer(p)));
          await writer.flush();
          recorded += n;
          return (n * 1000) / (performance.now() - started);
        },
        async check() {
          const { rows } = await admin.query(
            `SELECT count(*)::int AS n FROM "${schema}".audit_events`,
          );
          const stored = rows[0].n;
          // Reading another tenant's chain is a system task (ADR 0082).
          const chains = await Promise.all(
            TENANTS.map((tenantId) => runJob('bench', () => reader.verify({ tenantId }))),
          );
          const chainOk = chains.every((c) => c.ok);
          return `${recorded - stored} lost (${stored}/${recorded} stored), chains ${chainOk ? 'valid' : 'BROKEN'}`;
        },
        async teardown() {
          await writer.close();
          await db.close();
          await pool.end();
          await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
          await admin.end();
        },
      };
    },
  },
];
