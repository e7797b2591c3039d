// Scenario 9: the hostile corpus at 500 concurrent clients, with the child's RSS sampled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemDefect, tenantWithToken } from '../support/api.js';
import { type CorpusEntry, hostileCorpus } from '../support/corpus.js';
import { recordFigures } from '../support/figures.js';
import { send } from '../support/http.js';
import { failedBreakdown, runLoad } from '../support/load.js';
import { DATABASE_URL, NEEDS_SERVER, SETTINGS } from '../support/mode.js';
import { FRAMEWORKS } from '../support/service.js';
import { type Stack, startStack } from '../support/stack.js';

/** A generous ceiling: the figure that matters is the reported peak. */
const RSS_CEILING_MIB = 768;

describe.skipIf(!DATABASE_URL).each(FRAMEWORKS)(
  `9. hostile HTTP input at volume (%s) ${DATABASE_URL ? '' : NEEDS_SERVER}`,
  (framework) => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack(framework, 'hostile');
    });
    afterAll(async () => {
      await stack?.dispose();
    });

    it('answers every hostile request with a 4xx problem, stays up, with bounded memory', async () => {
      const { token, tenantId } = await tenantWithToken();
      const corpus: CorpusEntry[] = await hostileCorpus(token, tenantId);
      const url = stack.service.url;
      const rssStart = stack.service.rssKiB() ?? 0;
      let rssPeak = rssStart;
      const sampler = setInterval(() => {
        const v = stack.service.rssKiB();
        if (v !== undefined && v > rssPeak) rssPeak = v;
      }, 100);
      // Per corpus entry: statuses seen, and any contract defect.
      const seen = new Map<string, Record<string, number>>();
      const note = (name: string, key: string) => {
        const m = seen.get(name) ?? {};
        m[key] = (m[key] ?? 0) + 1;
        seen.set(name, m);
      };
      let result: Awaited<ReturnType<typeof runLoad>>;
      try {
        result = await runLoad({
          baseUrl: url,
          concurrency: SETTINGS.hostileConcurrency,
          total: SETTINGS.hostileRequests,
          durationMs: SETTINGS.loadMs * 3,
          timeoutMs: SETTINGS.requestTimeoutMs,
          next: (i) => corpus[i % corpus.length]!.spec,
          onResponse: (i, _s, r) => {
            const name = corpus[i % corpus.length]!.name;
            note(name, String(r.status));
            const defect = problemDefect(r);
            if (defect) note(name, `defect: ${defect}`);
          },
        });
      } finally {
        clearInterval(sampler);
      }
      const rssEnd = stack.service.rssKiB() ?? 0;
      const live = await send(url, { path: '/health/live' });
      const bad = [...seen].filter(([, statuses]) =>
        Object.keys(statuses).some((k) => k.startsWith('defect') || !/^4\d\d$/.test(k)),
      );

      recordFigures({
        scenario: '9. hostile input',
        framework,
        sent: result.sent,
        succeeded: result.succeeded,
        failed: failedBreakdown(result),
        p99Ms: result.p99,
        note: `RSS start ${Math.round(rssStart / 1024)} MiB, peak ${Math.round(rssPeak / 1024)} MiB, end ${Math.round(rssEnd / 1024)} MiB; ${corpus.length} kinds`,
      });

      expect(Object.fromEntries(bad)).toEqual({});
      expect(result.succeeded).toBe(0);
      expect(
        Object.keys(result.failed).every((k) => /^4\d\d$/.test(k)),
        JSON.stringify(result.failed),
      ).toBe(true);
      expect(live.status).toBe(200);
      expect(stack.service.child.exitCode).toBeNull();
      expect(rssPeak / 1024).toBeLessThan(RSS_CEILING_MIB);
    });
  },
);
