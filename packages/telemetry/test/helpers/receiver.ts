import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedExport {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local OTLP/HTTP collector stand-in: records every POST and answers 200 {}. */
export async function startReceiver(port = 0) {
  const received: ReceivedExport[] = [];
  const waiters: Array<() => void> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      for (const wake of waiters.splice(0)) wake();
    });
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const actualPort = (server.address() as AddressInfo).port;
  return {
    received,
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    /** Resolves once at least `count` exports arrived. */
    async waitFor(count: number) {
      while (received.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    },
    spanNames(): string[] {
      return this.spans().map((span) => span.name);
    },
    spans: () =>
      received.filter((r) => r.path.endsWith('/v1/traces')).flatMap((r) => spansOf(r.body)),
    metrics: () =>
      received.filter((r) => r.path.endsWith('/v1/metrics')).flatMap((r) => metricsOf(r.body)),
    logs: () => received.filter((r) => r.path.endsWith('/v1/logs')).flatMap((r) => logsOf(r.body)),
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

type Attribute = { key: string; value: Record<string, unknown> };

export interface OtlpSpan {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Attribute[];
}

export interface OtlpLogRecord {
  traceId?: string;
  spanId?: string;
  body?: { stringValue?: string };
  attributes?: Attribute[];
}

export interface OtlpMetric {
  name: string;
  histogram?: { dataPoints: Array<{ count: string | number; attributes?: Attribute[] }> };
}

type Body = Record<
  string,
  Array<{ resource?: { attributes: Attribute[] } } & Record<string, unknown>>
>;

/** The items of one OTLP/JSON request body: resource<X>[].scope<X>[].<items>[]. */
function itemsOf<T>(body: string, outer: string, inner: string, items: string): T[] {
  const parsed = JSON.parse(body) as Body;
  return (parsed[outer] ?? []).flatMap((r) =>
    ((r[inner] ?? []) as Array<Record<string, T[]>>).flatMap((s) => s[items] ?? []),
  );
}

/** Spans in an OTLP/JSON ExportTraceServiceRequest body. */
export const spansOf = (body: string) =>
  itemsOf<OtlpSpan>(body, 'resourceSpans', 'scopeSpans', 'spans');
/** Metrics in an OTLP/JSON ExportMetricsServiceRequest body. */
export const metricsOf = (body: string) =>
  itemsOf<OtlpMetric>(body, 'resourceMetrics', 'scopeMetrics', 'metrics');
/** Log records in an OTLP/JSON ExportLogsServiceRequest body. */
export const logsOf = (body: string) =>
  itemsOf<OtlpLogRecord>(body, 'resourceLogs', 'scopeLogs', 'logRecords');

/** Attributes as a flat record of their values. */
export function flatten(attributes: Attribute[] = []): Record<string, unknown> {
  return Object.fromEntries(attributes.map((a) => [a.key, Object.values(a.value)[0]]));
}

/** Resource attributes of the first resource in an OTLP/JSON body. */
export function resourceAttributesOf(body: string): Record<string, unknown> {
  const parsed = JSON.parse(body) as Body;
  const first = Object.values(parsed)[0]?.[0];
  return flatten(first?.resource?.attributes);
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}
