import { type EmbeddedPostgres, startEmbeddedPostgres } from '@plinth/db-repository/testing';
import { createHealth, postgresCheck } from '@plinth/health';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from './helpers/closed-port.js';
import { optionPaths } from './helpers/options-error.js';
import { assertHealthBody } from './helpers/schema.js';

// DESIGN §4: DATABASE_URL (CI: the local server), else embedded PostgreSQL.
const embedded = !process.env.DATABASE_URL;
let DATABASE_URL = process.env.DATABASE_URL ?? '';
let embeddedServer: EmbeddedPostgres | undefined;

describe('postgresCheck against a real PostgreSQL', () => {
  let pool: pg.Pool;
  let downPool: pg.Pool;
  let downUrl: string;

  beforeAll(async () => {
    if (embedded) {
      embeddedServer = await startEmbeddedPostgres();
      DATABASE_URL = embeddedServer.connectionString;
    }
    pool = new pg.Pool({ connectionString: DATABASE_URL, max: embedded ? 1 : 2 });
    downUrl = `postgres://postgres:hunter2@127.0.0.1:${await closedPort()}/test`;
    downPool = new pg.Pool({ connectionString: downUrl, max: 1, connectionTimeoutMillis: 2000 });
  });
  afterAll(async () => {
    await Promise.all([pool.end(), downPool.end()]);
    await embeddedServer?.stop();
  });

  it('passes with a pg Pool', async () => {
    const res = await createHealth({ checks: { postgres: postgresCheck(pool) } }).ready();
    assertHealthBody(res.body);
    expect(res.httpStatus).toBe(200);
    expect(res.body.checks?.['postgres:responseTime']?.[0]).toMatchObject({
      componentType: 'datastore',
      status: 'pass',
      observedUnit: 'ms',
    });
  });

  it('uses ping() when given a Database', async () => {
    let pinged = 0;
    const database = {
      ping: async () => {
        pinged++;
        await pool.query('SELECT 1');
      },
    };
    const res = await createHealth({ checks: { postgres: postgresCheck(database) } }).ready();
    expect(res.body.status).toBe('pass');
    expect(pinged).toBe(1);
  });

  it('fails with "connection refused" and no connection string when the server is down', async () => {
    const res = await createHealth({
      timeoutMs: 3000,
      checks: { postgres: postgresCheck(downPool) },
    }).ready();
    assertHealthBody(res.body);
    expect(res.httpStatus).toBe(503);
    expect(res.body.checks?.['postgres:responseTime']?.[0]).toMatchObject({
      status: 'fail',
      output: 'connection refused',
    });
    const text = JSON.stringify(res.body);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain(new URL(downUrl).port);
  });

  it.skipIf(embedded)(
    'fails with a generic reason when the database does not exist (needs a real server: embedded PostgreSQL accepts any database name)',
    async () => {
      const url = new URL(DATABASE_URL);
      url.pathname = '/plinth_health_no_such_db';
      const missing = new pg.Pool({ connectionString: url.href, max: 1 });
      try {
        const res = await createHealth({
          timeoutMs: 3000,
          checks: { postgres: postgresCheck(missing) },
        }).ready();
        expect(res.body.checks?.['postgres:responseTime']?.[0]?.output).toBe(
          'database does not exist',
        );
        expect(JSON.stringify(res.body)).not.toContain('plinth_health_no_such_db');
      } finally {
        await missing.end();
      }
    },
  );

  it('rejects something that is neither a Database nor a pool', () => {
    expect(optionPaths(() => postgresCheck({} as never))).toEqual(['db']);
    expect(optionPaths(() => postgresCheck(null as never))).toEqual(['db']);
  });
});
