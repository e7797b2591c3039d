import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InternalError, invalidOptions, requireOptionsObject } from '@plinth/errors';
import type { Database } from './database-types.js';
import { usageError } from './errors.js';
import { isPlainIdentifier, quoteIdentifier } from './identifier.js';
import { mapPgError } from './map-pg-error.js';

const FILE = /^(\d+)[_-][A-Za-z0-9_.-]*\.sql$/;
const NO_TRANSACTION = /^\s*--\s*plinth:no-transaction\b/;
/** First key of the two-key advisory lock: "plinth" in ASCII, so it will not collide with app locks by chance. */
const LOCK_NAMESPACE = 0x706c6e74;

/** Options of {@link migrate}. */
export interface MigrateOptions {
  /** Folder of `<number>_<name>.sql` files, applied in numeric order. */
  directory: string;
  /** Bookkeeping table. Default `plinth_migrations` (in the first schema of `search_path`). */
  table?: string;
  /** Receives one `info` line per applied migration. */
  logger?: { info?(obj: object, msg?: string): void };
}

/** What {@link migrate} did. */
export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

interface MigrationFile {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

async function readMigrations(directory: string): Promise<MigrationFile[]> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch {
    throw usageError(
      'migrate: the migrations directory cannot be read',
      'MIGRATION_DIRECTORY_MISSING',
      { directory },
    );
  }
  const files: MigrationFile[] = [];
  for (const name of names.filter((n) => n.endsWith('.sql'))) {
    const match = FILE.exec(name);
    if (!match)
      throw usageError(
        `migrate: "${name}" is not named <number>_<name>.sql`,
        'MIGRATION_INVALID_NAME',
      );
    const version = Number(match[1]);
    if (!Number.isSafeInteger(version))
      throw usageError(
        `migrate: the version of "${name}" is larger than ${Number.MAX_SAFE_INTEGER}`,
        'MIGRATION_INVALID_NAME',
      );
    let text: string;
    try {
      text = await readFile(join(directory, name), 'utf8');
    } catch {
      throw usageError(`migrate: "${name}" cannot be read`, 'MIGRATION_INVALID_NAME');
    }
    // A UTF-8 byte order mark (editors on Windows) is not SQL: PostgreSQL rejects it.
    const sql = text.startsWith('\uFEFF') ? text.slice(1) : text;
    files.push({
      version,
      name,
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    });
  }
  files.sort((a, b) => a.version - b.version);
  for (let i = 1; i < files.length; i++) {
    if (files[i]!.version === files[i - 1]!.version) {
      throw usageError(
        `migrate: ${files[i - 1]!.name} and ${files[i]!.name} share a version number`,
        'MIGRATION_DUPLICATE_VERSION',
      );
    }
  }
  return files;
}

/**
 * Applies pending SQL migrations in order, each in its own transaction
 * (unless its first line is `-- plinth:no-transaction`), under a
 * session advisory lock so concurrent instances migrate exactly once. An
 * applied migration whose file changed or disappeared is an error.
 *
 * @example
 * ```ts
 * import { createDatabase, migrate } from '@plinth/db-repository';
 *
 * const db = createDatabase({ connectionString: process.env.DATABASE_URL! });
 * const { applied } = await migrate(db, { directory: new URL('../migrations', import.meta.url).pathname });
 * ```
 */
export async function migrate(db: Database, options: MigrateOptions): Promise<MigrateResult> {
  // Checked before any I/O so a wiring mistake is a typed error, not a TypeError.
  requireOptionsObject(options, 'migrate', 'a directory');
  if (typeof options.directory !== 'string')
    throw invalidOptions('migrate', { path: 'directory', message: 'must be a folder path' });
  if (typeof db?.inTransaction !== 'function')
    throw invalidOptions('migrate', { path: 'db', message: 'must come from createDatabase' });
  if (
    options.logger !== undefined &&
    (typeof options.logger !== 'object' || options.logger === null)
  )
    throw invalidOptions('migrate', { path: 'logger', message: 'must be a logger object' });
  const table = options.table ?? 'plinth_migrations';
  if (!isPlainIdentifier(table))
    throw invalidOptions('migrate', { path: 'table', message: 'must be a plain identifier' });
  const quoted = quoteIdentifier(table);
  if (db.inTransaction())
    throw usageError('migrate cannot run inside db.transaction', 'DB_USAGE_ERROR');
  const files = await readMigrations(options.directory);
  const pool = db.pool as unknown as import('pg').Pool;
  let client: import('pg').PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    throw mapPgError(err);
  }
  const q = async (text: string, values?: unknown[]) => {
    try {
      return await client.query(text, values);
    } catch (err) {
      throw mapPgError(err);
    }
  };
  let broken: Error | undefined;
  try {
    await q('SELECT pg_advisory_lock($1, hashtext($2))', [LOCK_NAMESPACE, table]);
    try {
      await q(
        `CREATE TABLE IF NOT EXISTS ${quoted} (version bigint PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const { rows } = await q(
        `SELECT version::text AS version, name, checksum FROM ${quoted} ORDER BY version`,
      );
      const byVersion = new Map(files.map((f) => [f.version, f]));
      // version is bigint: read as text (timestamp-style numbers overflow int4).
      const history = (rows as { version: string; name: string; checksum: string }[]).map((r) => ({
        ...r,
        version: Number(r.version),
      }));
      for (const row of history) {
        const file = byVersion.get(row.version);
        if (!file)
          throw new InternalError(
            `migrate: applied migration ${row.name} is missing from the directory`,
            { code: 'MIGRATION_MISSING', context: { version: row.version } },
          );
        if (file.checksum !== row.checksum)
          throw new InternalError(
            `migrate: applied migration ${row.name} was edited after it ran; add a new migration instead`,
            { code: 'MIGRATION_CHECKSUM_MISMATCH', context: { version: row.version } },
          );
      }
      const done = new Set(history.map((r) => r.version));
      const applied: string[] = [];
      for (const file of files.filter((f) => !done.has(f.version))) {
        const transactional = !NO_TRANSACTION.test(file.sql);
        if (transactional) await q('BEGIN');
        try {
          await q(file.sql);
          await q(`INSERT INTO ${quoted} (version, name, checksum) VALUES ($1, $2, $3)`, [
            file.version,
            file.name,
            file.checksum,
          ]);
          if (transactional) await q('COMMIT');
        } catch (err) {
          if (transactional) await q('ROLLBACK').catch(() => undefined);
          throw new InternalError(`migrate: ${file.name} failed`, {
            code: 'MIGRATION_FAILED',
            context: {
              version: file.version,
              sqlState: (err as { context?: { sqlState?: string } }).context?.sqlState,
            },
            cause: err,
          });
        }
        options.logger?.info?.({ migration: file.name }, 'migration applied');
        applied.push(file.name);
      }
      return { applied, alreadyApplied: rows.length };
    } finally {
      await q('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_NAMESPACE, table]).catch(
        (err: unknown) => {
          broken = err as Error;
        },
      );
    }
  } finally {
    client.release(broken);
  }
}
