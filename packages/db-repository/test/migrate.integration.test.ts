import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate, sql } from '@plinth/db-repository';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedded, setupDb } from './helpers.js';

let t: Awaited<ReturnType<typeof setupDb>>;
let dir: string;

beforeAll(async () => {
  t = await setupDb('migrate');
  dir = await mkdtemp(join(tmpdir(), 'plinth-migrate-'));
});
afterAll(async () => {
  await t?.dispose();
  await rm(dir, { recursive: true, force: true });
});

async function folder(name: string, files: Record<string, string>) {
  const path = join(dir, name);
  await rm(path, { recursive: true, force: true });
  await import('node:fs/promises').then((fs) => fs.mkdir(path));
  for (const [file, text] of Object.entries(files)) await writeFile(join(path, file), text);
  return path;
}

let cliPath: Promise<string> | undefined;
/** The CLI bundled from source once per file (tests do not depend on a prior tsup build). */
function buildCli(): Promise<string> {
  cliPath ??= (async () => {
    const cli = join(dir, 'cli.mjs');
    await build({
      entryPoints: [fileURLToPath(new URL('../src/cli.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: cli,
      conditions: ['@plinth/source'],
      external: ['pg-native'],
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
      logLevel: 'silent',
    });
    return cli;
  })();
  return cliPath;
}

function runCliWith(args: string[], env: Record<string, string>) {
  return buildCli().then(
    (cli) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env } });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (out += d));
        child.on('close', (code) => resolve({ code, out }));
      }),
  );
}

describe('migrate', () => {
  it('CLI: answers an unknown option with the usage and exit code 2', async () => {
    const { code, out } = await runCliWith(['--dir', 'x'], {
      DATABASE_URL: 'postgres://u:hunter2@127.0.0.1:1/none',
    });
    expect(code).toBe(2);
    expect(out).toContain('Usage: plinth-migrate');
    expect(out).not.toContain('hunter2');
  });

  it.skipIf(embedded)(
    'CLI: names the SQLSTATE of a failed migration (needs a real server: the embedded one ignores search_path in the URL)',
    async () => {
      const path = await folder('clifail', { '1_bad.sql': 'SELECT 1/0;' });
      const url = new URL(t.connectionString);
      url.searchParams.set('options', `-c search_path=${t.schema}`);
      const { code, out } = await runCliWith(['--directory', path, '--table', 'm_clifail'], {
        DATABASE_URL: url.toString(),
      });
      expect(code).toBe(1);
      expect(out).toContain('MIGRATION_FAILED');
      expect(out).toContain('SQLSTATE 22012');
      expect(out).not.toContain('postgres://');
    },
  );

  it('applies files in numeric order once, and is a no-op the second time', async () => {
    const path = await folder('ordered', {
      '10_add_column.sql': 'ALTER TABLE widgets ADD COLUMN size int;',
      '2_create.sql': 'CREATE TABLE widgets (id int PRIMARY KEY);\nINSERT INTO widgets VALUES (1);',
    });
    expect(await migrate(t.db, { directory: path, table: 'm_ordered' })).toEqual({
      applied: ['2_create.sql', '10_add_column.sql'],
      alreadyApplied: 0,
    });
    expect(await migrate(t.db, { directory: path, table: 'm_ordered' })).toEqual({
      applied: [],
      alreadyApplied: 2,
    });
    expect(await t.db.one(sql`SELECT size FROM widgets`)).toEqual({ size: null });
  });

  it('refuses to run when an applied migration was edited', async () => {
    const path = await folder('edited', { '1_a.sql': 'CREATE TABLE edited_a (id int);' });
    await migrate(t.db, { directory: path, table: 'm_edited' });
    await writeFile(join(path, '1_a.sql'), 'CREATE TABLE edited_a (id bigint);');
    await expect(migrate(t.db, { directory: path, table: 'm_edited' })).rejects.toMatchObject({
      code: 'MIGRATION_CHECKSUM_MISMATCH',
    });
  });

  it('refuses to run when an applied migration disappeared', async () => {
    const path = await folder('missing', { '1_a.sql': 'SELECT 1;' });
    await migrate(t.db, { directory: path, table: 'm_missing' });
    await rm(join(path, '1_a.sql'));
    await expect(migrate(t.db, { directory: path, table: 'm_missing' })).rejects.toMatchObject({
      code: 'MIGRATION_MISSING',
    });
  });

  it('rolls back a failing migration and records nothing for it', async () => {
    const path = await folder('failing', {
      '1_ok.sql': 'CREATE TABLE fail_ok (id int);',
      '2_bad.sql': 'CREATE TABLE fail_bad (id int);\nSELECT nope FROM nowhere;',
    });
    await expect(migrate(t.db, { directory: path, table: 'm_failing' })).rejects.toMatchObject({
      code: 'MIGRATION_FAILED',
    });
    expect(
      await t.db.one(
        sql`SELECT to_regclass('fail_bad') IS NULL AS absent, to_regclass('fail_ok') IS NOT NULL AS present`,
      ),
    ).toEqual({ absent: true, present: true });
    expect(await t.db.many(sql`SELECT name FROM m_failing`)).toEqual([{ name: '1_ok.sql' }]);
  });

  it('releases the advisory lock after a failing migration', async () => {
    const path = await folder('lockfail', {
      '1_bad.sql': 'CREATE TABLE lf (id int);\nSELECT 1/0;',
    });
    await expect(migrate(t.db, { directory: path, table: 'm_lockfail' })).rejects.toMatchObject({
      code: 'MIGRATION_FAILED',
      context: { sqlState: '22012' },
    });
    expect(
      await t.db.one(
        // Only this table's lock: other test files and packages migrate on the same server at the same time.
        sql`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND classid = ${0x706c6e74}::oid AND objid = hashtext('m_lockfail')::oid`,
      ),
    ).toEqual({ n: 0 });
  });

  it('re-runs cleanly with timestamp-style versions larger than 2^31', async () => {
    const path = await folder('timestamps', {
      '20240101120000_first.sql': 'CREATE TABLE ts_first (id int);',
    });
    expect(await migrate(t.db, { directory: path, table: 'm_ts' })).toEqual({
      applied: ['20240101120000_first.sql'],
      alreadyApplied: 0,
    });
    await writeFile(join(path, '20240202120000_second.sql'), 'CREATE TABLE ts_second (id int);');
    expect(await migrate(t.db, { directory: path, table: 'm_ts' })).toEqual({
      applied: ['20240202120000_second.sql'],
      alreadyApplied: 1,
    });
  });

  it('rejects a version beyond Number.MAX_SAFE_INTEGER before touching the database', async () => {
    const path = await folder('hugeversion', { '99999999999999999999_a.sql': 'SELECT 1;' });
    await expect(migrate(t.db, { directory: path, table: 'm_huge' })).rejects.toMatchObject({
      code: 'MIGRATION_INVALID_NAME',
    });
  });

  it('applies a file saved with a UTF-8 byte order mark', async () => {
    const path = await folder('bom', { '1_bom.sql': '\uFEFFCREATE TABLE bom_t (id int);' });
    expect(await migrate(t.db, { directory: path, table: 'm_bom' })).toMatchObject({
      applied: ['1_bom.sql'],
    });
    expect(await t.db.one(sql`SELECT to_regclass('bom_t') IS NOT NULL AS present`)).toEqual({
      present: true,
    });
  });

  it('rejects a bookkeeping table that is not a plain name and a directory entry that is not a file with typed errors', async () => {
    await expect(
      migrate(t.db, { directory: '.', table: 'm"; DROP TABLE x; --' }),
    ).rejects.toMatchObject({ code: 'INVALID_OPTIONS', status: 500 });
    const path = await folder('direntry', {});
    await import('node:fs/promises').then((fs) => fs.mkdir(join(path, '1_dir.sql')));
    await expect(migrate(t.db, { directory: path, table: 'm_dir' })).rejects.toMatchObject({
      code: 'MIGRATION_INVALID_NAME',
    });
  });

  it('rejects badly named files and duplicate versions', async () => {
    await expect(
      migrate(t.db, { directory: await folder('badname', { 'create.sql': '' }) }),
    ).rejects.toMatchObject({ code: 'MIGRATION_INVALID_NAME' });
    await expect(
      migrate(t.db, { directory: await folder('dup', { '1_a.sql': '', '01_b.sql': '' }) }),
    ).rejects.toMatchObject({ code: 'MIGRATION_DUPLICATE_VERSION' });
    await expect(migrate(t.db, { directory: join(dir, 'nope') })).rejects.toMatchObject({
      code: 'MIGRATION_DIRECTORY_MISSING',
    });
  });

  it.skipIf(embedded)(
    'applies each migration exactly once when two processes run the CLI at the same time (needs exclusive advisory locks)',
    async () => {
      const path = await folder('concurrent', {
        '1_t.sql': 'CREATE TABLE conc (id int PRIMARY KEY);',
        '2_slow.sql': 'SELECT pg_sleep(0.3);\nINSERT INTO conc VALUES (1);',
        '3_more.sql': 'INSERT INTO conc VALUES (2);',
      });
      const cli = await buildCli();
      const url = new URL(t.connectionString);
      url.searchParams.set('options', `-c search_path=${t.schema}`);
      const runCli = () =>
        new Promise<{ code: number | null; out: string }>((resolve) => {
          const child = spawn(process.execPath, [cli, '--directory', path, '--table', 'm_conc'], {
            env: { ...process.env, DATABASE_URL: url.toString() },
          });
          let out = '';
          child.stdout.on('data', (d) => (out += d));
          child.stderr.on('data', (d) => (out += d));
          child.on('close', (code) => resolve({ code, out }));
        });
      const [a, b] = await Promise.all([runCli(), runCli()]);
      expect([a.code, b.code]).toEqual([0, 0]);
      expect(`${a.out}\n${b.out}`.match(/^applied /gm)).toHaveLength(3);
      expect(await t.db.many(sql`SELECT id FROM conc ORDER BY id`)).toEqual([{ id: 1 }, { id: 2 }]);
      expect(await t.db.many(sql`SELECT version::int AS v FROM m_conc ORDER BY version`)).toEqual([
        { v: 1 },
        { v: 2 },
        { v: 3 },
      ]);
      expect(`${a.out}${b.out}`).not.toContain('postgres://');
    },
  );
});
