import { createRequire } from 'node:module';

/** What a span context looks like (structural; see `@opentelemetry/api`). */
export interface SpanContextLike {
  traceId: string;
  spanId: string;
  traceFlags: number;
}

/**
 * The part of `@opentelemetry/api` the logger uses. Structural, so the
 * published types never require the optional peer.
 */
export interface OtelTraceApiLike {
  trace: {
    getActiveSpan(): { spanContext(): SpanContextLike } | undefined;
    isSpanContextValid(spanContext: SpanContextLike): boolean;
  };
}

let cached: OtelTraceApiLike | null | undefined;

/**
 * `@opentelemetry/api` when installed, else `null`; loaded once on first use
 * so that importing `@plinth/logging` never requires the optional peer.
 */
export function loadOtelTraceApi(): OtelTraceApiLike | null {
  if (cached === undefined) {
    try {
      cached = createRequire(import.meta.url)('@opentelemetry/api') as OtelTraceApiLike;
    } catch {
      cached = null;
    }
  }
  return cached;
}
