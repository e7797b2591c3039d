/**
 * CI mode keeps the whole suite within a few minutes on a 2-core machine;
 * `RELIABILITY_MODE=long` runs every scenario longer and heavier for local runs.
 */
export const MODE: 'ci' | 'long' = process.env.RELIABILITY_MODE === 'long' ? 'long' : 'ci';

const ci = MODE === 'ci';

export const SETTINGS = Object.freeze({
  /** Concurrent clients of the fault-under-load scenarios (1, 2, 3). */
  concurrency: 200,
  /**
   * Concurrent clients where the point is "no request fails" rather than overload
   * (4, 5, 6): enough traffic to see a fault, not enough to exhaust the pool.
   */
  steadyConcurrency: 50,
  /** Wall-clock cap of one load phase. */
  loadMs: ci ? 3_000 : 30_000,
  /** Request cap of one load phase (whichever of the two comes first). */
  loadRequests: ci ? 4_000 : 200_000,
  /** Keep-alive clients of the graceful-shutdown scenario. */
  shutdownClients: 1_000,
  /** Concurrency of the hostile-input scenario. */
  hostileConcurrency: 500,
  /** Hostile requests sent. */
  hostileRequests: ci ? 5_000 : 100_000,
  /** Length of the database outage of the batched-audit scenario. */
  auditOutageMs: 10_000,
  /** How long one request may take before the load generator calls it hung. */
  requestTimeoutMs: 15_000,
});

/** True when a PostgreSQL server is configured (the suite needs a real server, never the embedded one). */
export const DATABASE_URL = process.env.DATABASE_URL;
export const NEEDS_SERVER = 'needs a PostgreSQL server (DATABASE_URL unset)';
