import { createRequire } from 'node:module';

/**
 * The part of `@opentelemetry/api` this package uses. Structural, so the
 * published types do not depend on the optional peer being installed.
 */
export interface OtelApiLike {
  context: { active(): unknown };
  propagation: {
    inject(context: unknown, carrier: Record<string, string>): void;
    getBaggage(context: unknown): BaggageLike | undefined;
    setBaggage(context: unknown, baggage: BaggageLike): unknown;
    deleteBaggage(context: unknown): unknown;
    createBaggage(entries?: Record<string, { value: string; metadata?: unknown }>): BaggageLike;
  };
}

/** The part of an OTel `Baggage` this package uses. */
export interface BaggageLike {
  getAllEntries(): [string, { value: string; metadata?: unknown }][];
}

let cached: OtelApiLike | null | undefined;

/**
 * `@opentelemetry/api` when it is installed, else `null`. Loaded on first use
 * and cached: the package is an optional peer, so importing
 * `@plinth/context` never requires it. The API keeps its registrations on a
 * process global, so this CommonJS copy sees what an ESM copy registered.
 */
export function loadOtelApi(): OtelApiLike | null {
  if (cached === undefined) {
    try {
      cached = createRequire(import.meta.url)('@opentelemetry/api') as OtelApiLike;
    } catch {
      cached = null;
    }
  }
  return cached;
}
