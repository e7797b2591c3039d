#!/usr/bin/env node
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isAppError } from '@plinth/errors';
import { createDatabase } from './database.js';
import { migrate } from './migrate.js';

const USAGE = `Usage: plinth-migrate [--directory ./migrations] [--table plinth_migrations]
Applies pending SQL migrations to DATABASE_URL (never printed).`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      directory: { type: 'string', short: 'd', default: 'migrations' },
      table: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
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
    process.stderr.write(
      `migration failed: ${isAppError(err) ? `${(err as { code: string }).code}: ${(err as Error).message}` : 'unexpected error'}\n`,
    );
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
