import { CORRELATION_ID_HEADER } from './correlation.js';
import { loadOtelApi, type OtelApiLike } from './otel.js';
import { getContext } from './store.js';

/** Options for {@link contextHeaders}. */
export interface ContextHeadersOptions {
  /**
   * Baggage keys that may leave the process. Baggage often carries user or
   * tenant data, so the default is none: `baggage` is only sent for keys
   * listed here.
   */
  baggageKeys?: readonly string[];
  /**
   * The OpenTelemetry API to use. Default: `@opentelemetry/api` when it is
   * installed (loaded lazily), otherwise trace headers are skipped.
   */
  otel?: OtelApiLike | null;
}

/**
 * Headers to put on an outgoing call so the next service continues this unit
 * of work: `x-correlation-id` from the ambient context, plus W3C
 * `traceparent`/`tracestate` and allow-listed `baggage` injected by the
 * registered OpenTelemetry propagator when an OTel context is active. Returns
 * `{}` outside any context and without OpenTelemetry. Never throws.
 *
 * @example
 * ```ts
 * import { contextHeaders } from '@plinth/context';
 *
 * await fetch(url, { headers: { ...contextHeaders(), accept: 'application/json' } });
 * ```
 */
export function contextHeaders(options: ContextHeadersOptions = {}): Record<string, string> {
  const headers: Record<string, string> = {};
  const api = options.otel === undefined ? loadOtelApi() : options.otel;
  if (api) injectOtel(api, headers, options.baggageKeys ?? []);
  const ctx = getContext();
  if (ctx) headers[CORRELATION_ID_HEADER] = ctx.correlationId;
  return headers;
}

function injectOtel(api: OtelApiLike, headers: Record<string, string>, keys: readonly string[]) {
  try {
    let active = api.context.active();
    const baggage = api.propagation.getBaggage(active);
    if (baggage) {
      const allowed = new Set(keys);
      const kept = baggage.getAllEntries().filter(([key]) => allowed.has(key));
      active =
        kept.length === 0
          ? api.propagation.deleteBaggage(active)
          : api.propagation.setBaggage(
              active,
              api.propagation.createBaggage(Object.fromEntries(kept)),
            );
    }
    api.propagation.inject(active, headers);
  } catch {
    // A broken propagator must not break the outgoing call; the correlation id still flows.
  }
}
