import type { HttpResult } from './http.js';

interface Point {
  start: number;
  end: number;
  ok: boolean;
}

/**
 * Response times on the performance clock, to measure how long a service took
 * to notice a fault (first error after it) and to recover (first success that
 * started after the repair). Keeps at most `limit` points.
 */
export function createTimeline(limit = 500_000) {
  const points: Point[] = [];
  return {
    add(r: HttpResult) {
      if (points.length >= limit) return;
      const end = performance.now();
      points.push({ start: end - r.ms, end, ok: r.status >= 200 && r.status < 300 });
    },
    /** ms from `at` to the end of the first failed response that ended after it. */
    firstFailureAfter(at: number): number | undefined {
      let best: number | undefined;
      for (const p of points)
        if (!p.ok && p.end >= at && (best === undefined || p.end < best)) best = p.end;
      return best === undefined ? undefined : best - at;
    },
    /** ms from `at` to the end of the first success that started after it. */
    firstSuccessAfter(at: number): number | undefined {
      let best: number | undefined;
      for (const p of points)
        if (p.ok && p.start >= at && (best === undefined || p.end < best)) best = p.end;
      return best === undefined ? undefined : best - at;
    },
  };
}
