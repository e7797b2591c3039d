// Scenario 6: the OTLP collector is up, then down (connections refused), then slow (2 s per chunk).
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
import { send } from '../support/http.js';
import { failedBreakdown, type LoadResult, runLoad } from '../support/load.js';
import { DATABASE_URL, NEEDS_SERVER, SETTINGS } from '../support/mode.js';
import { type FakeCollector, startFakeCollector } from '../support/otlp.js';
import { type ProxyMode, startTcpProxy, type TcpProxy } from '../support/proxy.js';
import { FRAMEWORKS } from '../support/service.js';
import { type Stack, startStack } from '../support/stack.js';

/**
 * "Within noise" on a shared 2-core machine: the median within twice the collector-up
 * figure plus 20 ms; the tail (one slow GC or scheduling hiccup moves it) within three
 * times plus 500 ms. A collector that blocked requests would cost its full 2 s delay.
 */
const medianWithinNoise = (value: number, baseline: number) => value <= baseline * 2 + 20;
const tailWithinNoise = (value: number, baseline: number) => value <= baseline * 3 + 500;

describe.skipIf(!DATABASE_URL).each(FRAMEWORKS)(
  `6. telemetry collector down or slow (%s) ${DATABASE_URL ? '' : NEEDS_SERVER}`,
  (framework) => {
    let collector: FakeCollector;
    let proxy: TcpProxy;
    let stack: Stack;
    beforeAll(async () => {
      collector = await startFakeCollector();
      proxy = await startTcpProxy({ host: '127.0.0.1', port: collector.port });
      stack = await startStack(framework, 'otel', {
        otlpEndpoint: `http://${proxy.address}`,
        extra: {
          OTEL_METRIC_EXPORT_INTERVAL: '1000',
          OTEL_BSP_SCHEDULE_DELAY: '200',
          OTEL_BLRP_SCHEDULE_DELAY: '200',
        },
      });
    });
    afterAll(async () => {
      await stack?.dispose();
      await proxy?.close();
      await collector?.close();
    });

    it('serves the same traffic with the same latency whatever the collector does', async () => {
      const { auth } = await tenantWithToken();
      const url = stack.service.url;
      const seed = await send(url, createClientSpec(auth, randomBytes(4).toString('hex'), 0));
      expect(seed.status).toBe(201);
      const id = (seed.json as { id: string }).id;
      const defects = defectCollector();
      const phase = (durationMs: number) =>
        runLoad({
          baseUrl: url,
          concurrency: SETTINGS.steadyConcurrency,
          total: SETTINGS.loadRequests,
          durationMs,
          timeoutMs: SETTINGS.requestTimeoutMs,
          next: () => readClientSpec(auth, id),
          onResponse: (_i, _s, r) => defects.add(problemDefect(r)),
        });

      await phase(1_000); // warm-up, not measured
      const results: [string, ProxyMode, LoadResult][] = [];
      for (const [label, mode] of [
        ['up', 'pass'],
        ['down', 'refuse'],
        ['slow', { delayMs: 2_000 }],
      ] as [string, ProxyMode][]) {
        await proxy.setMode(mode);
        results.push([label, mode, await phase(SETTINGS.loadMs)]);
      }
      await proxy.setMode('pass');
      const received = collector.received();
      const alive = await send(url, { path: '/health/live' });

      const [, , up] = results[0]!;
      for (const [label, , r] of results)
        recordFigures({
          scenario: `6. collector ${label}`,
          framework,
          sent: r.sent,
          succeeded: r.succeeded,
          failed: failedBreakdown(r),
          p99Ms: r.p99,
          note: `p50 ${r.p50} ms (up: ${up.p50} ms); ${Math.round(r.sent / (r.durationMs / 1000))} req/s${label === 'up' ? `; exports received ${JSON.stringify(received)}` : ''}`,
        });

      expect(
        Object.values(received).reduce((a, b) => a + b, 0),
        'telemetry was exporting',
      ).toBeGreaterThan(0);
      expect(defects.list()).toEqual({});
      for (const [label, , r] of results) {
        expect(r.failed, label).toEqual({});
        expect(medianWithinNoise(r.p50, up.p50), `${label} p50 ${r.p50} vs up ${up.p50}`).toBe(
          true,
        );
        expect(tailWithinNoise(r.p99, up.p99), `${label} p99 ${r.p99} vs up ${up.p99}`).toBe(true);
      }
      expect(alive.status).toBe(200);
      expect(stack.service.child.exitCode).toBeNull();
    });
  },
);
