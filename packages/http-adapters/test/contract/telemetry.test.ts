import { AsyncLocalStorage } from 'node:async_hooks';
import type { AddressInfo } from 'node:net';
import {
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import express from 'express';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installPlinth } from '../../src/express/index.js';
import { plinthFastify } from '../../src/fastify/index.js';
import { defineRoute } from '../../src/index.js';
import { captureLogger, startApp } from '../support/apps.js';
import { contractOptions } from '../support/fixture.js';

/** The smallest ALS context manager, so `trace.getActiveSpan()` sees the span a server hook entered. */
const als = new AsyncLocalStorage<Context>();
const manager = {
  active: () => als.getStore() ?? ROOT_CONTEXT,
  with: <A extends unknown[], R>(
    ctx: Context,
    fn: (...args: A) => R,
    thisArg?: unknown,
    ...args: A
  ) => als.run(ctx, () => fn.apply(thisArg, args)),
  bind: <T>(_ctx: Context, target: T) => target,
  enable() {
    return this;
  },
  disable() {
    return this;
  },
};

interface Recorded {
  name?: string;
  attributes: Record<string, unknown>;
  status?: { code: number; message?: string };
  events: { name: string; attributes: Record<string, unknown> }[];
}

function fakeSpan(into: Recorded[]): Span {
  const rec: Recorded = { attributes: {}, events: [] };
  into.push(rec);
  const span = {
    updateName(name: string) {
      rec.name = name;
      return span;
    },
    setAttribute(k: string, v: unknown) {
      rec.attributes[k] = v;
      return span;
    },
    setStatus(s: Recorded['status']) {
      rec.status = s;
      return span;
    },
    addEvent(name: string, attributes: Record<string, unknown>) {
      rec.events.push({ name, attributes });
      return span;
    },
  };
  return span as unknown as Span;
}

describe.each(['express', 'fastify'] as const)('span enrichment on %s', (framework) => {
  const spans: Recorded[] = [];
  let url = '';
  let close: () => Promise<void>;
  beforeAll(async () => {
    context.setGlobalContextManager(manager);
    const options = contractOptions(captureLogger().logger);
    const enter = (next: () => void) =>
      context.with(trace.setSpan(ROOT_CONTEXT, fakeSpan(spans)), next);
    if (framework === 'express') {
      const app = express();
      app.use((_req, _res, next) => enter(next));
      const server = installPlinth(app, options).listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      close = () => new Promise((r) => server.close(() => r()));
    } else {
      const app = Fastify();
      app.addHook('onRequest', (_req, _reply, done) => enter(done));
      await app.register(plinthFastify, options);
      await app.listen({ port: 0, host: '127.0.0.1' });
      url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      close = () => app.close();
    }
  });
  afterAll(async () => {
    await close();
    context.disable();
  });

  it('names the server span after the route template', async () => {
    await fetch(`${url}/v1/items/abc`);
    expect(spans.at(-1)).toMatchObject({
      name: 'GET /v1/items/:id',
      attributes: { 'http.route': '/v1/items/:id' },
    });
  });

  it('records a 5xx as span status ERROR with an exception event carrying the code only', async () => {
    await fetch(`${url}/boom`);
    const span = spans.at(-1);
    expect(span?.status).toEqual({ code: 2, message: 'INTERNAL_ERROR' });
    expect(span?.events[0]).toMatchObject({
      name: 'exception',
      attributes: { 'error.code': 'INTERNAL_ERROR' },
    });
    expect(JSON.stringify(span)).not.toContain('hunter2');
  });

  it('adds an exception event for a 4xx without marking the span failed', async () => {
    await fetch(`${url}/conflict`);
    const span = spans.at(-1);
    expect(span?.status).toBeUndefined();
    expect(span?.events[0]?.attributes['http.response.status_code']).toBe(409);
  });
});

/** Reads `traceparent` the W3C way (version-traceId-spanId-flags), enough for the test. */
const w3c = {
  inject: () => {},
  fields: () => ['traceparent'],
  extract: (ctx: Context, carrier: unknown) => {
    const header = (carrier as Record<string, string | undefined>).traceparent ?? '';
    const m = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/.exec(header);
    return m
      ? trace.setSpanContext(ctx, {
          traceId: m[1] as string,
          spanId: m[2] as string,
          traceFlags: TraceFlags.SAMPLED,
          isRemote: true,
        })
      : ctx;
  },
};

const traceRoute = defineRoute({
  method: 'POST',
  path: '/trace',
  handler: () => ({ traceId: trace.getActiveSpan()?.spanContext().traceId ?? null }),
});

describe.each(['express', 'fastify'] as const)('traceparent on %s', (framework) => {
  let app: Awaited<ReturnType<typeof startApp>>;
  beforeAll(async () => {
    context.setGlobalContextManager(manager);
    propagation.setGlobalPropagator(w3c);
    app = await startApp(framework, { routes: [traceRoute], logger: captureLogger().logger });
  });
  afterAll(async () => {
    await app.close();
    propagation.disable();
    context.disable();
  });

  it("continues the caller's trace in the handler, after the body was read", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await fetch(`${app.url}/trace`, {
      method: 'POST',
      headers: {
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
        'content-type': 'application/json',
      },
      body: '{"a":1}',
    });
    expect(await res.json()).toEqual({ traceId });
  });

  it('starts no trace when the request carries none', async () => {
    const res = await fetch(`${app.url}/trace`, { method: 'POST' });
    expect(await res.json()).toEqual({ traceId: null });
  });
});
