import type { Agent } from 'node:http';
import { type HttpResult, keepAliveAgent, type RequestSpec, send, TransportError } from './http.js';
import { summarize } from './stats.js';

export interface LoadOptions {
  baseUrl: string;
  /** Clients running at once. */
  concurrency: number;
  /** Requests sent at most. */
  total: number;
  /** Stop starting new requests after this long, ms. */
  durationMs: number;
  /** The i-th request (0-based). */
  next(i: number): RequestSpec | Promise<RequestSpec>;
  /** Called for every response (any status). */
  onResponse?(i: number, spec: RequestSpec, result: HttpResult): void;
  /** Keep-alive agent; default one with `concurrency` sockets. */
  agent?: Agent;
  /** Per-request limit; beyond it the request counts as `TIMEOUT`. */
  timeoutMs?: number;
}

export interface LoadResult {
  sent: number;
  /** 2xx responses. */
  succeeded: number;
  /** Everything else by status code, or by transport error code (`ECONNRESET`, `TIMEOUT`…). */
  failed: Record<string, number>;
  /** Error responses by `<status> <problem code>`. */
  codes: Record<string, number>;
  /** Latency of every completed response (any status), ms. */
  latencies: number[];
  durationMs: number;
  p50: number;
  p99: number;
  max: number;
}

export interface LoadRun {
  /** Stops starting new requests; in-flight ones finish. */
  stop(): void;
  /** Requests sent so far. */
  sent(): number;
  readonly done: Promise<LoadResult>;
}

/**
 * A bounded closed-loop load: `concurrency` workers each send one request at a
 * time until `total` requests were started or `durationMs` passed.
 */
export function startLoad(o: LoadOptions): LoadRun {
  const agent = o.agent ?? keepAliveAgent(o.concurrency);
  const ownAgent = o.agent === undefined;
  const deadline = Date.now() + o.durationMs;
  let started = 0;
  let stopped = false;
  let succeeded = 0;
  const failed: Record<string, number> = {};
  const codes: Record<string, number> = {};
  const latencies: number[] = [];
  const t0 = performance.now();

  const worker = async () => {
    while (!stopped && started < o.total && Date.now() < deadline) {
      const i = started++;
      const spec = await o.next(i);
      try {
        const r = await send(o.baseUrl, spec, { agent, timeoutMs: o.timeoutMs ?? 15_000 });
        latencies.push(r.ms);
        if (r.status >= 200 && r.status < 300) succeeded++;
        else {
          failed[r.status] = (failed[r.status] ?? 0) + 1;
          const code = (r.json as { code?: unknown } | undefined)?.code;
          const key = `${r.status} ${typeof code === 'string' ? code : '-'}`;
          codes[key] = (codes[key] ?? 0) + 1;
        }
        o.onResponse?.(i, spec, r);
      } catch (err) {
        const code = err instanceof TransportError ? err.code : 'ERROR';
        failed[code] = (failed[code] ?? 0) + 1;
      }
    }
  };

  const done = (async () => {
    await Promise.all(Array.from({ length: o.concurrency }, worker));
    const durationMs = performance.now() - t0;
    if (ownAgent) agent.destroy();
    return {
      sent: started,
      succeeded,
      failed,
      codes,
      latencies,
      durationMs,
      ...summarize(latencies),
    };
  })();
  return {
    stop() {
      stopped = true;
    },
    sent: () => started,
    done,
  };
}

/** startLoad and wait. */
export const runLoad = (o: LoadOptions) => startLoad(o).done;

/** Failures for the figures table: error responses by status and problem code, transport failures by code. */
export function failedBreakdown(r: LoadResult): Record<string, number> {
  const out: Record<string, number> = { ...r.codes };
  for (const [k, n] of Object.entries(r.failed)) if (!/^\d+$/.test(k)) out[k] = n;
  return out;
}

/**
 * Latency of `GET /health/live` (no dependency touched) at `concurrency` for `durationMs`:
 * what the machine itself costs right now, so a scenario's bounds hold on a busy host.
 */
export const machineBaseline = (baseUrl: string, concurrency: number, durationMs = 1_000) =>
  runLoad({
    baseUrl,
    concurrency,
    total: 100_000,
    durationMs,
    next: () => ({ path: '/health/live' }),
  });
