import { type ResolvedCheck, runCheck } from './run-check.js';
import type { ComponentResult } from './types.js';

interface Entry {
  result: ComponentResult | undefined;
  at: number;
  inflight: Promise<ComponentResult> | undefined;
}

/** A set of checks with per-check caching, single-flight and stale-while-revalidate. */
export interface Probe {
  /** Current results, in check order. Waits only for checks that have no result yet (or when caching is off). */
  evaluate(): Promise<readonly ComponentResult[]>;
  /** The cached results when every check has one (starting background refreshes as due), else `undefined`. */
  peek(): readonly ComponentResult[] | undefined;
  /** Bumped whenever any result changes; lets callers memoise derived responses. */
  readonly version: number;
}

/** Builds a {@link Probe}; `cacheMs = 0` means every evaluation waits for a fresh (shared) run. */
export function createProbe(checks: readonly ResolvedCheck[], cacheMs: number): Probe {
  const entries: Entry[] = checks.map(() => ({ result: undefined, at: 0, inflight: undefined }));
  let version = 0;

  function refresh(index: number): Promise<ComponentResult> {
    const entry = entries[index]!;
    // Cleared however the run ends, so one bad run can never wedge the probe.
    entry.inflight ??= runCheck(checks[index]!)
      .then((result) => {
        entry.result = result;
        entry.at = Date.now();
        version++;
        return result;
      })
      .finally(() => {
        entry.inflight = undefined;
      });
    return entry.inflight;
  }

  // Reused while nothing changes, so a cached probe allocates nothing.
  let snapshot: { version: number; results: readonly ComponentResult[] } | undefined;

  function peek(): readonly ComponentResult[] | undefined {
    if (cacheMs === 0) return undefined;
    const now = Date.now();
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      if (entry.result === undefined) return undefined;
      if (now - entry.at >= cacheMs) void refresh(i);
    }
    if (snapshot?.version !== version) {
      snapshot = { version, results: entries.map((e) => e.result!) };
    }
    return snapshot.results;
  }

  async function evaluate(): Promise<readonly ComponentResult[]> {
    const cached = peek();
    if (cached !== undefined) return cached;
    const now = Date.now();
    const waits: Promise<unknown>[] = [];
    const out: (ComponentResult | undefined)[] = new Array(entries.length);
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      if (entry.result !== undefined && cacheMs > 0) {
        // Fresh: serve. Stale: serve anyway and revalidate in the background.
        if (now - entry.at >= cacheMs) void refresh(i);
        out[i] = entry.result;
      } else {
        const index = i;
        waits.push(
          refresh(index).then((r) => {
            out[index] = r;
          }),
        );
      }
    }
    if (waits.length > 0) await Promise.all(waits);
    return out as ComponentResult[];
  }

  return {
    evaluate,
    peek,
    get version() {
      return version;
    },
  };
}
