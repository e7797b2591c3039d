#!/usr/bin/env node
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isAppError } from '@plinth/errors';
import { createDatabase } from './database.js';
import { migrate } from './migrate.js';

const USAGE = `Usage: plinth-migrate [--directory ./migrations] [--table plinth_migrations]
Applies pending SQL migrations to DATABASE_URL (never printed).`;

const OPTIONS = {
  directory: { type: 'string', short: 'd', default: 'migrations' },
  table: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `code: message`, plus the SQLSTATE of a failed migration (the message alone does not say why). */
function describe(err: unknown): string {
  if (!isAppError(err)) return 'unexpected error';
  const e = err as Error & { code: string; context?: { sqlState?: unknown } };
  const sqlState = e.context?.sqlState;
  return `${e.code}: ${e.message}${typeof sqlState === 'string' ? ` (SQLSTATE ${sqlState})` : ''}`;
}

async function main(): Promise<number> {
  let values: { directory: string; table?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ options: OPTIONS }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) {
    process.stderr.write(`DATABASE_URL is not set\n${USAGE}\n`);
    return 2;
  }
  const db = createDatabase({
    connectionString,
    applicationName: 'plinth-migrate',
    pool: { max: 1 },
    statementTimeoutMs: 0,
  });
  try {
    const result = await migrate(db, {
      directory: resolve(values.directory),
      table: values.table,
      logger: {
        info: (obj) =>
          process.stdout.write(`applied ${(obj as { migration: string }).migration}\n`),
      },
    });
    process.stdout.write(
      `${result.applied.length} applied, ${result.alreadyApplied} already applied\n`,
    );
    return 0;
  } catch (err) {
    process.stderr.write(`migration failed: ${describe(err)}\n`);
    return 1;
  } finally {
    await db.close({ timeoutMs: 5_000 });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = 1;
  },
);
