import { type Database, migrate } from '@plinth/db-repository';
import { invalidOptions } from '@plinth/errors';
import { readChain } from './chain.js';
import { AUDIT_DEFAULTS } from './defaults.js';
import { GENESIS_HASH } from './hash.js';
import type { AuditMaintenance } from './log-types.js';
import { MIGRATIONS_TABLE, migrationsDirectory } from './migrate.js';
import { dropPartitionsBefore, ensurePartitions, listPartitions } from './partitions.js';
import { readHead, readRows } from './rows.js';
import { checkSeqs } from './verify.js';

/** Schema, partitions, retention and export of one log. */
export function createMaintenance(
  db: Database,
  minRetentionDays: number,
  ensureMonth: (at: Date) => Promise<void>,
): AuditMaintenance {
  return Object.freeze({
    async migrate() {
      const { applied } = await migrate(db, {
        directory: migrationsDirectory(),
        table: MIGRATIONS_TABLE,
      });
      await ensureMonth(new Date());
      return { applied };
    },
    async head(chain = {}) {
      const row = await readHead(db, readChain('head', chain.tenantId));
      return row ? { seq: Number(row.seq), hash: row.hash } : { seq: 0, hash: GENESIS_HASH };
    },
    readRange(range) {
      const key = readChain('readRange', range.tenantId);
      const { fromSeq, toSeq } = checkSeqs('readRange', range);
      if (fromSeq === undefined || toSeq === undefined)
        throw invalidOptions('readRange', 'needs fromSeq and toSeq');
      return readRows(db, key, fromSeq, toSeq);
    },
    ensurePartitions({ from = new Date(), months = 1 + AUDIT_DEFAULTS.partitionsAhead } = {}) {
      return ensurePartitions(db, from, months);
    },
    listPartitions: () => listPartitions(db),
    dropPartitionsBefore: (before) => dropPartitionsBefore(db, before, minRetentionDays),
  } satisfies AuditMaintenance);
}
