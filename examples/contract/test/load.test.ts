import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { describe, expect, inject, it } from 'vitest';
import { apiFor } from './support/api.js';
import { FRAMEWORKS, type Framework, query, RESULTS_DIR } from './support/harness.js';
import { staffToken } from './support/tokens.js';

/** 1,000 connections open at once, each running create → read → update → list once. */
const CONNECTIONS = 1000;
const STEPS = 4;
/**
 * Staff of this many tenants share the connections, as a multi-tenant registry sees
 * traffic: each tenant's audit chain takes its writes one at a time (the hash chain
 * is per tenant), so one tenant alone would measure that lock, not the service.
 */
const TENANTS = 10;
const FIGURES = join(RESULTS_DIR, 'load.json');

interface Figures {
  framework: Framework;
  connections: number;
  tenants: number;
  requests: number;
  durationSeconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
}

const stack = inject('contract');

describe.skipIf(stack.embedded)('load: 1,000 concurrent mixed requests', () => {
  describe.each(FRAMEWORKS)('on %s', (framework) => {
    it('answers every request with 2xx, stores every acknowledged write and audits it', async () => {
      const service = stack.services[framework];
      const tenantIds = Array.from({ length: TENANTS }, () => randomUUID());
      const tokens = await Promise.all(tenantIds.map((id) => staffToken(id, 'staff')));
      let next = 0;
      const created = new Map<string, number>(); // id → acknowledged version
      const updated = new Map<string, number>();
      const reads = new Map<string, number>();
      const statuses: Record<string, number> = {};
      const count = (status: number) => {
        statuses[status] = (statuses[status] ?? 0) + 1;
      };
      type Ctx = { id?: string; version?: number; authorization?: string };
      /** The connection's principal: assigned round-robin on its first request, kept for its sequence. */
      const as = (req: { headers?: Record<string, string> }, context: Ctx) => {
        context.authorization ??= `Bearer ${tokens[next++ % TENANTS]}`;
        return { ...req.headers, authorization: context.authorization };
      };

      const result = await autocannon({
        url: service.url,
        connections: CONNECTIONS,
        amount: CONNECTIONS * STEPS,
        timeout: 60,
        headers: { 'content-type': 'application/json' },
        requests: [
          {
            method: 'POST',
            path: '/v1/clients',
            setupRequest: (req, context: Ctx) => ({
              ...req,
              headers: as(req, context),
              body: JSON.stringify({
                name: 'Load Test',
                email: `load.${randomUUID()}@example.com`,
                phone: '+1 555 0100',
              }),
            }),
            onResponse: (status, body, context: Ctx) => {
              count(status);
              if (status !== 201) return;
              const client = JSON.parse(body) as { id: string; version: number };
              context.id = client.id;
              context.version = client.version;
              created.set(client.id, client.version);
            },
          },
          {
            method: 'GET',
            setupRequest: (req, context: Ctx) => ({
              ...req,
              headers: as(req, context),
              path: `/v1/clients/${context.id}`,
            }),
            onResponse: (status, _body, context: Ctx) => {
              count(status);
              if (status === 200 && context.id)
                reads.set(context.id, (reads.get(context.id) ?? 0) + 1);
            },
          },
          {
            method: 'PATCH',
            setupRequest: (req, context: Ctx) => ({
              ...req,
              path: `/v1/clients/${context.id}`,
              headers: { ...as(req, context), 'if-match': `"${context.version}"` },
              body: JSON.stringify({ name: 'Load Test Updated' }),
            }),
            onResponse: (status, body, context: Ctx) => {
              count(status);
              if (status === 200 && context.id)
                updated.set(context.id, (JSON.parse(body) as { version: number }).version);
            },
          },
          {
            method: 'GET',
            path: '/v1/clients?limit=20',
            setupRequest: (req, context: Ctx) => ({ ...req, headers: as(req, context) }),
            onResponse: (status) => count(status),
          },
        ],
      });

      const figures: Figures = {
        framework,
        connections: CONNECTIONS,
        tenants: TENANTS,
        requests: result.requests.total,
        durationSeconds: result.duration,
        requestsPerSecond: Math.round(result.requests.total / result.duration),
        latencyMs: {
          p50: result.latency.p50,
          p90: result.latency.p90,
          p99: result.latency.p99,
          max: result.latency.max,
        },
        statusCodes: statuses,
        errors: result.errors,
        timeouts: result.timeouts,
      };
      console.log(
        `\nload ${framework}: ${figures.requests} requests over ${CONNECTIONS} connections (${TENANTS} tenants) in ${figures.durationSeconds.toFixed(1)} s — ${figures.requestsPerSecond} req/s, p50 ${figures.latencyMs.p50} ms, p99 ${figures.latencyMs.p99} ms, statuses ${JSON.stringify(statuses)}\n`,
      );
      mkdirSync(RESULTS_DIR, { recursive: true });
      let all: Record<string, Figures> = {};
      try {
        all = JSON.parse(readFileSync(FIGURES, 'utf8'));
      } catch {
        // first service of the run
      }
      all[framework] = figures;
      writeFileSync(FIGURES, `${JSON.stringify(all, null, 2)}\n`);

      // 0 failed, 0 5xx: every request answered with its success status.
      expect(result.errors).toBe(0);
      expect(result.timeouts).toBe(0);
      expect(result.requests.total).toBe(CONNECTIONS * STEPS);
      expect(statuses).toEqual({ 200: CONNECTIONS * 3, 201: CONNECTIONS });
      expect(created.size).toBe(CONNECTIONS);
      expect(updated.size).toBe(CONNECTIONS);

      // Every acknowledged write is in the database, at the acknowledged version or later.
      const rows = await query<{ id: string; version: number }>(
        service.databaseUrl,
        'SELECT id::text AS id, version FROM clients WHERE tenant_id::text = ANY($1::text[])',
        [tenantIds],
      );
      const stored = new Map(rows.map((r) => [r.id, Number(r.version)]));
      expect(stored.size).toBe(CONNECTIONS);
      for (const [id, version] of updated) expect(stored.get(id)).toBe(version);
      for (const id of created.keys()) expect(stored.has(id)).toBe(true);

      // …and audited: one success event per acknowledged create, read and update.
      const expected = CONNECTIONS * 3;
      await expect
        .poll(
          async () =>
            Number(
              (
                await query<{ n: string }>(
                  service.databaseUrl,
                  `SELECT count(*) AS n FROM audit_events
                    WHERE tenant_id = ANY($1::text[]) AND outcome = 'success'
                      AND resource_id = ANY($2::text[])`,
                  [tenantIds, [...created.keys()]],
                )
              )[0]?.n,
            ),
          { timeout: 15_000, interval: 500 },
        )
        .toBeGreaterThanOrEqual(expected);

      // The service is still healthy afterwards.
      const ready = await apiFor(framework).call('GET', '/health/ready');
      expect(ready.status).toBe(200);
    }, 180_000);
  });
});
