import type { LoggerLike, SpanLike, TracerLike } from './types.js';

const SPAN_KIND_CLIENT = 2;
const STATUS_ERROR = 2;
const MAX_LOGGED_TEXT = 2_000;

interface OtelApiLike {
  trace: { getTracer(name: string, version?: string): TracerLike };
}

let otel: OtelApiLike | null | undefined;
let loading: Promise<OtelApiLike | null> | undefined;

/** Loads `@opentelemetry/api` once if it is installed; `null` when it is not. */
export function loadOtel(): Promise<OtelApiLike | null> {
  loading ??= import('@opentelemetry/api')
    .then((m) => {
      const api = m as unknown as { trace?: unknown; default?: { trace?: unknown } };
      otel = (api.trace ? api : api.default?.trace ? api.default : null) as OtelApiLike | null;
      return otel;
    })
    .catch(() => {
      otel = null;
      return null;
    });
  return loading;
}

/** What a query span describes. */
export interface QueryMeta {
  operation?: string;
  collection?: string;
}

const FIRST_WORD = /^\s*(?:--[^\n]*\n\s*)*([A-Za-z]+)/;

/** `SELECT`, `INSERT`, … from the statement text. */
export function operationOf(text: string): string | undefined {
  return FIRST_WORD.exec(text)?.[1]?.toUpperCase();
}

/** Spans and slow-query logging around each statement. */
export interface Instrumentation {
  start(text: string, meta: QueryMeta | undefined): SpanLike | undefined;
  end(
    span: SpanLike | undefined,
    text: string,
    meta: QueryMeta | undefined,
    startedAt: number,
    error?: { code: string; sqlState?: string },
  ): void;
}

/** Builds the per-database instrumentation; `tracer` overrides the global OTel tracer. */
export function createInstrumentation(options: {
  tracer?: TracerLike;
  logger?: LoggerLike;
  slowQueryMs: number;
  namespace?: string;
  serverAddress?: string;
  serverPort?: number;
}): Instrumentation {
  let tracer = options.tracer;
  const resolveTracer = () => {
    if (!tracer && otel) tracer = otel.trace.getTracer('@plinth/db-repository');
    return tracer;
  };
  if (!tracer && otel === undefined) void loadOtel();
  const base: Record<string, string | number> = { 'db.system.name': 'postgresql' };
  if (options.namespace) base['db.namespace'] = options.namespace;
  if (options.serverAddress) base['server.address'] = options.serverAddress;
  if (options.serverPort) base['server.port'] = options.serverPort;

  return {
    start(text, meta) {
      const t = resolveTracer();
      if (!t) return undefined;
      const operation = meta?.operation ?? operationOf(text);
      const attributes: Record<string, string | number> = { ...base, 'db.query.text': text };
      if (operation) attributes['db.operation.name'] = operation;
      if (meta?.collection) attributes['db.collection.name'] = meta.collection;
      const name = operation
        ? meta?.collection
          ? `${operation} ${meta.collection}`
          : operation
        : 'postgresql';
      return t.startSpan(name, { kind: SPAN_KIND_CLIENT, attributes });
    },
    end(span, text, meta, startedAt, error) {
      if (span) {
        if (error) {
          span.setAttribute('error.type', error.sqlState ?? error.code);
          if (error.sqlState) span.setAttribute('db.response.status_code', error.sqlState);
          span.setStatus({ code: STATUS_ERROR, message: error.code });
        }
        span.end();
      }
      if (options.slowQueryMs > 0 && options.logger) {
        const durationMs = performance.now() - startedAt;
        if (durationMs >= options.slowQueryMs) {
          options.logger.warn(
            {
              query: text.length > MAX_LOGGED_TEXT ? `${text.slice(0, MAX_LOGGED_TEXT)}…` : text,
              durationMs: Math.round(durationMs),
              operation: meta?.operation ?? operationOf(text),
              table: meta?.collection,
              failed: error ? error.code : undefined,
            },
            'slow query',
          );
        }
      }
    },
  };
}
