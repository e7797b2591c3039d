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
      return received.flatMap((r) => spansOf(r.body).map((span) => span.name));
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

export interface OtlpSpan {
  name: string;
  kind: number;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
}

/** Spans in an OTLP/JSON ExportTraceServiceRequest body. */
export function spansOf(body: string): OtlpSpan[] {
  const parsed = JSON.parse(body) as {
    resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: OtlpSpan[] }> }>;
  };
  return (parsed.resourceSpans ?? []).flatMap((rs) =>
    (rs.scopeSpans ?? []).flatMap((ss) => ss.spans ?? []),
  );
}

/** Resource attributes of the first resource in an OTLP/JSON body, flattened to strings. */
export function resourceAttributesOf(body: string): Record<string, string> {
  const parsed = JSON.parse(body) as {
    resourceSpans: Array<{
      resource: { attributes: Array<{ key: string; value: Record<string, unknown> }> };
    }>;
  };
  const out: Record<string, string> = {};
  for (const attr of parsed.resourceSpans[0]?.resource.attributes ?? []) {
    out[attr.key] = String(Object.values(attr.value)[0]);
  }
  return out;
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
