import { EventEmitter } from 'node:events';
import {
  Agent,
  createServer,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import {
  bindContext,
  createRequestContext,
  getContext,
  runWithContext,
  withContext,
} from '@plinth/context';
import { UnauthorizedError } from '@plinth/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A hook chain shaped like Express middleware and Fastify callback hooks: each step gets the
// continuation of the request. The context is entered by calling that continuation inside
// runWithContext/withContext, which is what @plinth/http-adapters does.
type Req = IncomingMessage & { seen: Record<string, string | null>; body?: string };
type Step = (req: Req, res: ServerResponse, next: (err?: unknown) => void) => void;

const seen = () => {
  const ctx = getContext();
  return ctx ? `${ctx.correlationId}|${ctx.tenantId ?? '-'}|${ctx.operation ?? '-'}` : null;
};

// Emits from a timer started outside any request: listeners lose the context unless bound.
const bus = new EventEmitter().setMaxListeners(0);
let ticker: NodeJS.Timeout;

const readBody: Step = (req, _res, next) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => {
    body += chunk;
  });
  req.on('end', () => {
    req.body = body;
    next();
  });
};

const steps: Step[] = [
  (req, _res, next) => {
    req.seen = { beforeEntry: seen() };
    next();
  },
  (req, _res, next) => {
    const ctx = createRequestContext({ correlationId: req.headers['x-correlation-id'] as string });
    runWithContext(ctx, next);
  },
  // A body reader that knows nothing of async context calls `next` from the
  // stream's 'end' event, where the context is lost: its continuation is bound.
  (req, res, next) => readBody(req, res, bindContext(next)),
  (req, _res, next) => {
    req.seen.afterBody = seen();
    next();
  },
  (req, _res, next) => {
    const token = req.headers.authorization ?? '';
    delay(Math.random() * 3).then(() => {
      if (token === 'bad') return next(new UnauthorizedError());
      withContext({ tenantId: token }, next);
    }, next);
  },
  (_req, _res, next) => withContext({ operation: 'POST /items/:id' }, next),
  async (req, res) => {
    req.seen.handler = seen();
    await new Promise((r) => setImmediate(r));
    req.seen.afterImmediate = seen();
    await delay(Math.random() * 3);
    req.seen.afterTimer = seen();
    req.seen.boundListener = await new Promise((r) =>
      bus.once(
        'tick',
        bindContext(() => r(seen())),
      ),
    );
    res.end(JSON.stringify(req.seen));
  },
];

function handle(req: IncomingMessage, res: ServerResponse): void {
  let i = 0;
  const next = (err?: unknown) => {
    if (err === undefined) return steps[i++]!(req as Req, res, next);
    res.statusCode = 401;
    res.end(JSON.stringify({ errorHandler: seen() }));
  };
  next();
}

let server: Server;
let agent: Agent;
let port: number;

beforeAll(async () => {
  ticker = setInterval(() => bus.emit('tick'), 1);
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  agent = new Agent({ keepAlive: true, maxSockets: 16 });
});

afterAll(async () => {
  clearInterval(ticker);
  agent.destroy();
  await new Promise((resolve) => server.close(resolve));
});

function send(i: number): Promise<{ status: number; body: Record<string, string | null> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        port,
        host: '127.0.0.1',
        agent,
        method: 'POST',
        path: `/items/${i}`,
        headers: {
          'x-correlation-id': `c-${i}`,
          authorization: i % 10 === 9 ? 'bad' : `t-${i}`,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    if (i % 2 === 0) return req.end(`{"i":${i}}`);
    // Half the bodies arrive in two packets, so 'end' fires from a later socket read.
    req.flushHeaders();
    setTimeout(() => {
      req.write('{"i":');
      setTimeout(() => req.end(`${i}}`), 2);
    }, 1);
  });
}

describe('entering a context from framework hooks with runWithContext(ctx, next)', () => {
  it('gives each of 2,000 interleaved keep-alive requests only its own context at every step', async () => {
    const results = await Promise.all(Array.from({ length: 2000 }, (_, i) => send(i)));
    results.forEach(({ status, body }, i) => {
      if (i % 10 === 9) {
        expect(status).toBe(401);
        expect(body).toEqual({ errorHandler: `c-${i}|-|-` });
        return;
      }
      const entered = `c-${i}|-|-`;
      const routed = `c-${i}|t-${i}|POST /items/:id`;
      expect(body).toEqual({
        beforeEntry: null,
        afterBody: entered,
        handler: routed,
        afterImmediate: routed,
        afterTimer: routed,
        boundListener: routed,
      });
    });
  }, 60_000);

  it('leaves a listener on a foreign emitter without context unless it is bound', async () => {
    const ctx = createRequestContext({ correlationId: 'unbound' });
    const unbound = await runWithContext(
      ctx,
      () => new Promise((r) => bus.once('tick', () => r(seen()))),
    );
    expect(unbound).toBeNull();
  });
});
