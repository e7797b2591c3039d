import { createRequire } from 'node:module';
import type { AppError } from '@plinth/errors';

/** The slice of an OTel span the adapters touch. */
interface SpanLike {
  updateName(name: string): unknown;
  setAttribute(key: string, value: string | number): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  addEvent(name: string, attributes: Record<string, string | number>): unknown;
}
interface TraceApiLike {
  trace: { getActiveSpan(): SpanLike | undefined };
  context: { active(): unknown; with<T>(ctx: unknown, fn: () => T): T };
  propagation: { extract(ctx: unknown, carrier: unknown): unknown };
}

let api: TraceApiLike | null | undefined;

/** `@opentelemetry/api` when installed (optional peer), loaded once. */
function otel(): TraceApiLike | null {
  if (api === undefined) {
    try {
      api = createRequire(import.meta.url)('@opentelemetry/api') as TraceApiLike;
    } catch {
      api = null;
    }
  }
  return api;
}

const activeSpan = () => otel()?.trace.getActiveSpan();

/**
 * Run `fn` in the trace the request's W3C `traceparent`/`tracestate` (and
 * `baggage`) continue, through the registered OTel propagator. When an HTTP
 * instrumentation already started a server span (it extracts the same
 * headers), or the API is not installed, `fn` runs as it is.
 */
export function continueTrace<T>(headers: unknown, fn: () => T): T {
  const o = otel();
  if (!o || o.trace.getActiveSpan()) return fn();
  let ctx: unknown;
  try {
    ctx = o.propagation.extract(o.context.active(), headers);
  } catch {
    return fn();
  }
  return o.context.with(ctx, fn);
}

/** Name the active server span after the route template (`GET /v1/clients/:id`). Never throws. */
export function nameSpan(method: string, route: string): void {
  try {
    const span = activeSpan();
    span?.updateName(`${method} ${route}`);
    span?.setAttribute('http.route', route);
  } catch {
    // Telemetry must never fail a request.
  }
}

/** Record an error on the active span: status ERROR and an `exception` event with the code only. */
export function recordSpanError(err: AppError): void {
  try {
    const span = activeSpan();
    if (!span) return;
    if (err.status >= 500) span.setStatus({ code: 2, message: err.code });
    span.addEvent('exception', {
      'exception.type': err.code,
      'error.code': err.code,
      'error.id': err.errorId,
      'http.response.status_code': err.status,
    });
  } catch {
    // Telemetry must never fail a request.
  }
}
