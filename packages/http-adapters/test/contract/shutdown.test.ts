import type { AddressInfo } from 'node:net';
import { createHealth } from '@plinth/health';
import express from 'express';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createExpressShutdown, installPlinth } from '../../src/express/index.js';
import { createFastifyShutdown, plinthFastify } from '../../src/fastify/index.js';
import { defineRoute, type HttpAdapterOptions } from '../../src/index.js';
import { captureLogger } from '../support/apps.js';

type Start = (
  options: HttpAdapterOptions,
  health: ReturnType<typeof createHealth>,
  onClose: () => void,
) => Promise<{
  url: string;
  shutdown: ReturnType<typeof createExpressShutdown>;
}>;

const shutdownOptions = (onHook: () => void) => ({
  drainDelayMs: 1000,
  timeoutMs: 5000,
  signals: [],
  exit: false as const,
  logger: captureLogger().logger,
  hooks: [{ name: 'after-close', run: onHook }],
});

const starters: Record<'express' | 'fastify', Start> = {
  express: async (options, health, onHook) => {
    const server = installPlinth(express(), options).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { url, shutdown: createExpressShutdown(server, { health, ...shutdownOptions(onHook) }) };
  },
  fastify: async (options, health, onHook) => {
    const app = Fastify();
    await app.register(plinthFastify, options);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    return { url, shutdown: createFastifyShutdown(app, { health, ...shutdownOptions(onHook) }) };
  },
};

describe.each(['express', 'fastify'] as const)('graceful shutdown on %s', (framework) => {
  it('fails readiness first, finishes in-flight requests, then runs hooks in order', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let started = 0;
    const slow = defineRoute({
      method: 'GET',
      path: '/slow',
      handler: async () => {
        started++;
        await gate;
        return { done: true };
      },
    });
    const health = createHealth({ checks: {} });
    const order: string[] = [];
    const { url, shutdown } = await starters[framework](
      { routes: [slow], health, logger: captureLogger().logger },
      health,
      () => order.push('hook'),
    );
    const inFlight = Array.from({ length: 5 }, () => fetch(`${url}/slow`).then((r) => r.status));
    await expect.poll(() => started).toBe(5);
    const done = shutdown.shutdown('test').then((r) => {
      order.push('done');
      return r;
    });
    expect((await fetch(`${url}/health/ready`)).status).toBe(503);
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    release();
    expect(await Promise.all(inFlight)).toEqual([200, 200, 200, 200, 200]);
    const result = await done;
    expect(result).toMatchObject({ ok: true, forced: false, failedHooks: [] });
    expect(order).toEqual(['hook', 'done']);
    await expect(fetch(`${url}/health/live`)).rejects.toThrow();
  });
});

describe('graceful shutdown on fastify, requests longer than a hook timeout', () => {
  it('waits for in-flight requests up to timeoutMs before the next hooks run', async () => {
    let started = 0;
    const slow = defineRoute({
      method: 'GET',
      path: '/slow',
      handler: async () => {
        started++;
        await new Promise((r) => setTimeout(r, 400));
        return { done: true };
      },
    });
    const health = createHealth({ checks: {} });
    const app = Fastify();
    await app.register(plinthFastify, { routes: [slow], health, logger: captureLogger().logger });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const order: string[] = [];
    const shutdown = createFastifyShutdown(app, {
      health,
      drainDelayMs: 0,
      timeoutMs: 5000,
      // Shorter than the request: the Fastify close must not be cut to this.
      hookTimeoutMs: 50,
      signals: [],
      exit: false,
      logger: captureLogger().logger,
      hooks: [{ name: 'pool', run: () => void order.push('pool closed') }],
    });
    const inFlight = fetch(`${url}/slow`).then(async (r) => {
      order.push(`response ${r.status}`);
      return r.status;
    });
    await expect.poll(() => started).toBe(1);
    const result = await shutdown.shutdown('test');
    expect(await inFlight).toBe(200);
    expect(result).toMatchObject({ ok: true, forced: false, failedHooks: [] });
    expect(order).toEqual(['response 200', 'pool closed']);
  });
});
