import { connect, createServer, type Server, type Socket } from 'node:net';
import { sleep } from './wait.js';

/**
 * How the proxy treats traffic:
 * - `pass`: forwards both ways.
 * - `refuse`: destroys every open connection and stops listening, so new
 *   connections get ECONNREFUSED, exactly as when the server is down.
 * - `blackhole`: keeps listening and accepts, but forwards nothing either way
 *   (a partitioned network: peers wait for their own timeouts).
 * - `{ delayMs }`: forwards every chunk `delayMs` late, in order.
 */
export type ProxyMode = 'pass' | 'refuse' | 'blackhole' | { delayMs: number };

export interface TcpProxy {
  readonly port: number;
  /** `host:port` of the proxy, to put in a URL. */
  readonly address: string;
  setMode(mode: ProxyMode): Promise<void>;
  readonly mode: ProxyMode;
  /** Connections currently open through the proxy. */
  openConnections(): number;
  /** Connections accepted since start. */
  acceptedConnections(): number;
  close(): Promise<void>;
}

interface Pending {
  chunk: Buffer;
  due: number;
}

/** Forwards `from` → `to` honouring the current delay, in order, with backpressure. */
function forward(from: Socket, to: Socket, delayOf: () => number | 'hold') {
  const queue: Pending[] = [];
  let timer: NodeJS.Timeout | undefined;
  const pump = () => {
    timer = undefined;
    while (queue.length > 0) {
      const head = queue[0]!;
      const wait = head.due - Date.now();
      if (wait > 0) {
        timer = setTimeout(pump, wait);
        return;
      }
      queue.shift();
      if (to.destroyed) return;
      if (!to.write(head.chunk)) {
        from.pause();
        to.once('drain', () => from.resume());
      }
    }
  };
  from.on('data', (chunk: Buffer) => {
    const delay = delayOf();
    if (delay === 'hold') return; // blackhole: bytes vanish
    if (delay === 0 && queue.length === 0) {
      if (!to.write(chunk)) {
        from.pause();
        to.once('drain', () => from.resume());
      }
      return;
    }
    queue.push({ chunk, due: Date.now() + delay });
    if (!timer) pump();
  });
  from.on('end', () => {
    const finish = () => (queue.length === 0 ? to.end() : setTimeout(finish, 5));
    finish();
  });
  from.on('close', () => {
    if (timer) clearTimeout(timer);
  });
}

/**
 * A loopback TCP proxy in front of `target` (e.g. PostgreSQL on 127.0.0.1:5432
 * or an OTLP collector) whose behaviour the test switches at will. It listens on
 * a random free port that stays the same across `refuse` → `pass`.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: ProxyMode = 'pass';
  const pairs = new Set<[Socket, Socket]>();
  let accepted = 0;
  const delayOf = (): number | 'hold' =>
    mode === 'blackhole' ? 'hold' : typeof mode === 'object' ? mode.delayMs : 0;

  const onConnection = (client: Socket) => {
    accepted++;
    const upstream = connect({ host: target.host, port: target.port });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const teardown = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', teardown);
    upstream.on('error', teardown);
    client.on('close', teardown);
    upstream.on('close', teardown);
    forward(client, upstream, delayOf);
    forward(upstream, client, delayOf);
  };

  let server: Server | undefined;
  let port = 0;
  const listen = async () => {
    // Re-listening on the same port can race a TIME_WAIT or another process; bounded retries.
    for (let attempt = 0; ; attempt++) {
      const s = createServer({ noDelay: true }, onConnection);
      try {
        await new Promise<void>((resolve, reject) => {
          s.once('error', reject);
          s.listen(port, '127.0.0.1', () => resolve());
        });
        s.on('error', () => {});
        server = s;
        port = (s.address() as { port: number }).port;
        return;
      } catch (err) {
        if (attempt >= 20) throw err;
        await sleep(100);
      }
    }
  };
  const stopListening = async () => {
    const s = server;
    server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  const dropAll = () => {
    for (const [a, b] of pairs) {
      a.destroy();
      b.destroy();
    }
    pairs.clear();
  };

  await listen();
  return {
    get port() {
      return port;
    },
    get address() {
      return `127.0.0.1:${port}`;
    },
    get mode() {
      return mode;
    },
    async setMode(next) {
      const previous = mode;
      mode = next;
      if (next === 'refuse') {
        // close() only stops accepting; the open pairs go at once (RST-like teardown).
        const stopped = stopListening();
        dropAll();
        await stopped;
      } else if (previous === 'refuse') {
        await listen();
      }
    },
    openConnections: () => pairs.size,
    acceptedConnections: () => accepted,
    async close() {
      mode = 'refuse';
      const stopped = stopListening();
      dropAll();
      await stopped;
    },
  };
}
