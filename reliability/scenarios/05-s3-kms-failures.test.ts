// Scenario 5: S3 refuses connections, an upload is cut mid-stream, KMS is unreachable.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClientSpec,
  defectCollector,
  problemDefect,
  readClientSpec,
  tenantWithToken,
} from '../support/api.js';
import { recordFigures } from '../support/figures.js';
import { type HttpResult, type RequestSpec, send } from '../support/http.js';
import { failedBreakdown, runLoad } from '../support/load.js';
import { DATABASE_URL, NEEDS_SERVER, SETTINGS } from '../support/mode.js';
import { FRAMEWORKS, startService } from '../support/service.js';
import { type Stack, startStack } from '../support/stack.js';
import { partialUpload } from '../support/upload.js';
import { freePort, sleep } from '../support/wait.js';

const DOC = Buffer.alloc(256 * 1024, 0x41);
/** How long the suite waits for a cut upload to leave traces (it must leave none). */
const SETTLE_MS = 2_000;

describe.skipIf(!DATABASE_URL).each(FRAMEWORKS)(
  `5. S3 and KMS failures (%s) ${DATABASE_URL ? '' : NEEDS_SERVER}`,
  (framework) => {
    let stack: Stack;
    let auth: Record<string, string>;
    let clientId: string;
    const uploadSpec = (name: string): RequestSpec => ({
      method: 'POST',
      path: `/v1/clients/${clientId}/documents?name=${encodeURIComponent(name)}`,
      headers: { ...auth, 'content-type': 'application/pdf' },
      body: DOC,
    });
    const documentRows = async () =>
      Number(
        (await stack.db.query<{ n: string }>('SELECT count(*) AS n FROM documents')).rows[0]!.n,
      );
    const ready = async () => {
      const r = await send(stack.service.url, { path: '/health/ready' });
      const checks = Object.entries(
        (r.json as { checks?: Record<string, { status?: string }[]> } | undefined)?.checks ?? {},
      )
        .map(([k, v]) => `${k.split(':')[0]}=${v[0]?.status}`)
        .join(' ');
      return `${r.status} (${checks})`;
    };

    beforeAll(async () => {
      stack = await startStack(framework, 'docs');
      ({ auth } = await tenantWithToken());
      const c = await send(
        stack.service.url,
        createClientSpec(auth, randomBytes(4).toString('hex'), 0),
      );
      expect(c.status).toBe(201);
      clientId = (c.json as { id: string }).id;
    });
    afterAll(async () => {
      await stack?.dispose();
    });

    it('answers document routes 503 problem+json while S3 is down; other routes are unaffected', async () => {
      const url = stack.service.url;
      const stored = await send(url, uploadSpec('before.pdf'));
      expect(stored.status, stored.body.toString()).toBe(201);
      const docId = (stored.json as { id: string }).id;
      const keysBefore = (await stack.s3.listKeys()).length;
      const rowsBefore = await documentRows();

      const downAt = performance.now();
      await stack.s3Proxy.setMode('refuse');
      const docCalls: HttpResult[] = [];
      for (let i = 0; i < 5; i++) {
        docCalls.push(await send(url, uploadSpec(`during-${i}.pdf`)));
        docCalls.push(await send(url, { path: `/v1/documents/${docId}/content`, headers: auth }));
      }
      const detectMs = performance.now() - downAt;
      const readiness = await ready();
      const defects = defectCollector();
      const others = await runLoad({
        baseUrl: url,
        concurrency: SETTINGS.steadyConcurrency,
        total: 1_000,
        durationMs: SETTINGS.loadMs,
        timeoutMs: SETTINGS.requestTimeoutMs,
        next: (i) => (i % 2 ? readClientSpec(auth, clientId) : createClientSpec(auth, `o${i}`, i)),
        onResponse: (_i, _s, r) => defects.add(problemDefect(r)),
      });
      await stack.s3Proxy.setMode('pass');
      const upAt = performance.now();
      const after = await send(url, uploadSpec('after.pdf'));
      const recoverMs = performance.now() - upAt;

      const statuses: Record<string, number> = {};
      for (const r of docCalls) {
        const key = `${r.status} ${(r.json as { code?: string } | undefined)?.code ?? '-'}`;
        statuses[key] = (statuses[key] ?? 0) + 1;
      }
      const docDefects = docCalls
        .map((r) => problemDefect(r, { retryAfter: false }))
        .filter(Boolean);
      const withRetryAfter = docCalls.filter((r) => r.headers['retry-after'] !== undefined).length;
      recordFigures({
        scenario: '5. S3 down: document routes',
        framework,
        sent: docCalls.length,
        succeeded: docCalls.filter((r) => r.status < 300).length,
        failed: statuses,
        p99Ms: Math.max(...docCalls.map((r) => r.ms)),
        detectMs,
        recoverMs,
        note: `readiness ${readiness}; Retry-After on ${withRetryAfter}/${docCalls.length}`,
      });
      recordFigures({
        scenario: '5. S3 down: client routes',
        framework,
        sent: others.sent,
        succeeded: others.succeeded,
        failed: failedBreakdown(others),
        p99Ms: others.p99,
      });

      expect(
        docCalls.every((r) => r.status === 503),
        JSON.stringify(statuses),
      ).toBe(true);
      expect(docDefects).toEqual([]);
      expect(others.failed).toEqual({});
      expect(defects.list()).toEqual({});
      expect(after.status).toBe(201);
      // Nothing half-stored by the failed uploads.
      expect(await documentRows()).toBe(rowsBefore + 1);
      expect((await stack.s3.listKeys()).length).toBe(keysBefore + 1);
    });

    it('leaves no object and no row when an upload is cut mid-stream (client gone, or S3 gone)', async () => {
      const url = stack.service.url;
      const path = `/v1/clients/${clientId}/documents?name=cut.pdf`;
      const keysBefore = (await stack.s3.listKeys()).length;
      const rowsBefore = await documentRows();
      const clientCut = await partialUpload(url, path, auth, {
        declared: 4 * 1024 * 1024,
        send: 2 * 1024 * 1024,
        abort: true,
      });
      await sleep(SETTLE_MS);
      const afterClientCut = {
        rows: await documentRows(),
        keys: (await stack.s3.listKeys()).length,
      };

      const s3Cut = await partialUpload(url, path, auth, {
        declared: 4 * 1024 * 1024,
        send: 2 * 1024 * 1024,
        abort: false,
        midway: () => stack.s3Proxy.setMode('refuse'),
      });
      await stack.s3Proxy.setMode('pass');
      await sleep(SETTLE_MS);
      const afterS3Cut = { rows: await documentRows(), keys: (await stack.s3.listKeys()).length };
      const alive = await send(url, uploadSpec('still-works.pdf'));

      recordFigures({
        scenario: '5. upload cut mid-stream',
        framework,
        sent: 2,
        succeeded: 0,
        failed: { 'client abort': 1, [`S3 cut → ${s3Cut.status}`]: 1 },
        note: `rows +${afterS3Cut.rows - rowsBefore}, objects +${afterS3Cut.keys - keysBefore} (expected +0/+0)`,
      });

      expect.soft(clientCut.status).toBe(0);
      expect.soft(afterClientCut).toEqual({ rows: rowsBefore, keys: keysBefore });
      expect.soft(s3Cut.status, s3Cut.body).toBe(503);
      expect.soft(afterS3Cut).toEqual({ rows: rowsBefore, keys: keysBefore });
      expect.soft(alive.status).toBe(201);
    });

    it('answers document routes 503 problem+json while KMS is unreachable; other routes are unaffected', async () => {
      // A second instance on the same database, wrapping data keys with AWS KMS at an
      // endpoint where nothing listens.
      const kmsPort = await freePort();
      const { LOCAL_KMS_KEYS: _local, ...env } = stack.env;
      const service = await startService(framework, {
        ...env,
        MIGRATE_ON_START: 'false',
        KMS_KEY_ID: 'alias/reliability',
        AWS_ENDPOINT_URL_KMS: `http://127.0.0.1:${kmsPort}`,
      });
      try {
        const calls: HttpResult[] = [];
        for (let i = 0; i < 5; i++)
          calls.push(
            await send(service.url, { ...uploadSpec(`kms-${i}.pdf`) }, { timeoutMs: 30_000 }),
          );
        const client = await send(service.url, readClientSpec(auth, clientId));
        const r = await send(service.url, { path: '/health/ready' });
        const statuses: Record<string, number> = {};
        for (const c of calls) {
          const key = `${c.status} ${(c.json as { code?: string } | undefined)?.code ?? '-'}`;
          statuses[key] = (statuses[key] ?? 0) + 1;
        }
        recordFigures({
          scenario: '5. KMS unreachable: uploads',
          framework,
          sent: calls.length,
          succeeded: calls.filter((c) => c.status < 300).length,
          failed: statuses,
          p99Ms: Math.max(...calls.map((c) => c.ms)),
          note: `client read ${client.status}; readiness ${r.status}`,
        });
        expect(
          calls.every((c) => c.status === 503),
          JSON.stringify(statuses),
        ).toBe(true);
        expect(calls.map((c) => problemDefect(c, { retryAfter: false })).filter(Boolean)).toEqual(
          [],
        );
        expect(client.status).toBe(200);
      } finally {
        await service.stop('SIGTERM', 15_000);
      }
    });
  },
);
