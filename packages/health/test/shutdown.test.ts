import { Agent, type Server } from 'node:http';
import { connect } from 'node:net';
import { createHealth, createHealthHandler, createShutdown, type Shutdown } from '@plinth/health';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureLogger } from './helpers/capture-logger.js';
import { deferred } from './helpers/deferred.js';
import { optionPaths } from './helpers/options-error.js';
import { close, get, listen } from './helpers/server.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** An app whose `/slow` requests wait on a gate; resolves `arrived` once `expected` are in. */
async function slowApp(expected: number) {
  const health = createHealth({ checks: { db: async () => {} } });
  const probes = createHealthHandler(health);
  const gate = deferred<void>();
  const arrived = deferred<void>();
  let count = 0;
  const { server, url, port } = await listen((req, res) => {
    if (probes(req, res)) return;
    if (++count === expected) arrived.resolve();
    void gate.promise.then(() => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('done');
    });
  });
  cleanups.push(() => close(server));
  return { health, server, url, port, gate, arrived };
}

function refused(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });
}

function track(shutdown: Shutdown) {
  cleanups.push(() => shutdown.dispose());
  return shutdown;
}

describe('createShutdown under load on a real node:http server', () => {
  it('drains 200 in-flight requests, refuses new connections and runs every hook in order', async () => {
    const app = await slowApp(200);
    const agent = new Agent({ keepAlive: true, maxSockets: 250 });
    cleanups.push(() => agent.destroy());
    const { logger, entries, once } = captureLogger();
    const ran: string[] = [];
    const exit = vi.fn();
    const shutdown = track(
      createShutdown({
        servers: [app.server],
        health: app.health,
        drainDelayMs: 500,
        timeoutMs: 10_000,
        signals: [],
        logger,
        exit,
        hooks: [
          { name: 'audit-flush', run: async () => void ran.push('audit-flush') },
          {
            name: 'pool-close',
            run: async () => {
              ran.push('pool-close');
              throw new Error('pool close failed: postgres://app:hunter2@db/app');
            },
          },
          function telemetry() {
            ran.push('telemetry');
          },
        ],
      }),
    );

    const inFlight = Array.from({ length: 200 }, () => get(`${app.url}/slow`, { agent }));
    await app.arrived.promise;
    expect((await app.health.ready()).httpStatus).toBe(200);

    const stoppedAccepting = once('stopped accepting connections');
    const done = shutdown.shutdown();
    // Readiness fails at once, in-process and over HTTP, while the drain delay runs.
    expect((await app.health.ready()).httpStatus).toBe(503);
    expect((await app.health.live()).httpStatus).toBe(200);
    const probe = await get(`${app.url}/health/ready`);
    expect(probe.status).toBe(503);
    expect(probe.headers.connection).toBe('close');

    await stoppedAccepting;
    expect(await refused(app.port)).toBe('ECONNREFUSED');

    app.gate.resolve();
    const responses = await Promise.all(inFlight);
    expect(responses.map((r) => r.status)).toEqual(Array(200).fill(200));
    expect(new Set(responses.map((r) => r.headers.connection))).toEqual(new Set(['close']));

    const result = await done;
    expect(ran).toEqual(['audit-flush', 'pool-close', 'telemetry']);
    expect(result).toEqual({
      ok: false,
      forced: false,
      failedHooks: ['pool-close'],
      reason: 'manual',
    });
    const failure = entries.find((e) => e.msg === 'shutdown hook failed');
    expect(failure?.obj).toMatchObject({ hook: 'pool-close', reason: 'check failed' });
    expect(exit).toHaveBeenCalledExactlyOnceWith(1);
    expect(app.server.listening).toBe(false);
  });

  it('closes idle keep-alive connections when it stops accepting and exits 0 when all went well', async () => {
    const app = await slowApp(Number.POSITIVE_INFINITY);
    app.gate.resolve();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    cleanups.push(() => agent.destroy());
    await get(`${app.url}/warm`, { agent });
    const [socket] = Object.values(agent.freeSockets).flat();
    expect(socket).toBeDefined();
    const socketClosed = new Promise((resolve) => socket!.once('close', resolve));
    const exit = vi.fn();
    const shutdown = track(
      createShutdown({
        servers: [app.server],
        health: app.health,
        drainDelayMs: 0,
        signals: [],
        logger: captureLogger().logger,
        exit,
      }),
    );
    const result = await shutdown.shutdown();
    await socketClosed;
    expect(result).toMatchObject({ ok: true, forced: false, failedHooks: [] });
    expect(exit).toHaveBeenCalledExactlyOnceWith(0);
  });

  it('destroys connections still open at the deadline and reports failure', async () => {
    const app = await slowApp(1); // the gate is never opened
    const pending = get(`${app.url}/stuck`).catch((err: NodeJS.ErrnoException) => err.code);
    await app.arrived.promise;
    const { logger, entries } = captureLogger();
    const exit = vi.fn();
    const shutdown = track(
      createShutdown({
        servers: [app.server],
        drainDelayMs: 0,
        timeoutMs: 50,
        signals: [],
        logger,
        exit,
      }),
    );
    const result = await shutdown.shutdown();
    expect(result).toMatchObject({ ok: false, forced: true });
    expect(await pending).toBe('ECONNRESET');
    expect(entries.some((e) => e.level === 'warn' && e.msg?.startsWith('deadline passed'))).toBe(
      true,
    );
    expect(exit).toHaveBeenCalledExactlyOnceWith(1);
  });

  it('gives every hook its own deadline and keeps going after one hangs', async () => {
    const ran: string[] = [];
    const shutdown = track(
      createShutdown({
        drainDelayMs: 0,
        signals: [],
        exit: false,
        logger: captureLogger().logger,
        hookTimeoutMs: 1000,
        hooks: [
          { name: 'hangs', timeoutMs: 20, run: () => new Promise(() => ran.push('hangs')) },
          { name: 'after', run: () => void ran.push('after') },
        ],
      }),
    );
    const result = await shutdown.shutdown();
    expect(ran).toEqual(['hangs', 'after']);
    expect(result.failedHooks).toEqual(['hangs']);
  });

  it('is idempotent and runs hooks added later in registration order', async () => {
    const ran: string[] = [];
    const shutdown = track(
      createShutdown({
        drainDelayMs: 0,
        signals: [],
        exit: false,
        logger: captureLogger().logger,
        hooks: [() => void ran.push('first')],
      }),
    );
    shutdown.addHook({ name: 'second', run: () => void ran.push('second') });
    const [a, b] = await Promise.all([shutdown.shutdown(), shutdown.shutdown()]);
    expect(a).toBe(b);
    expect(ran).toEqual(['first', 'second']);
    expect(shutdown.started).toBe(true);
  });

  it('rejects invalid options as one 500 INVALID_OPTIONS error listing every problem', () => {
    const paths = optionPaths(() =>
      createShutdown({
        servers: [{} as Server],
        drainDelayMs: -1,
        timeoutMs: 0,
        hooks: [42 as never],
        signals: ['TERM' as never],
        exit: 'no' as never,
      }),
    );
    expect(paths).toEqual(['servers.0', 'signals', 'exit', 'drainDelayMs', 'timeoutMs', 'hooks.0']);
  });
});
