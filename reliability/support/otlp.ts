import { createServer, type Server } from 'node:http';

export interface FakeCollector {
  readonly port: number;
  readonly url: string;
  /** Export requests received, by path (`/v1/traces`…). */
  received(): Record<string, number>;
  close(): Promise<void>;
}

/**
 * An OTLP/HTTP collector that accepts every export (200, empty protobuf
 * response) and counts them. Put a TcpProxy in front of it to make it slow or down.
 */
export async function startFakeCollector(): Promise<FakeCollector> {
  const counts: Record<string, number> = {};
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0]!;
      counts[path] = (counts[path] ?? 0) + 1;
      res.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': '0' });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    received: () => ({ ...counts }),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
