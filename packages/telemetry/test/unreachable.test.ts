import { once } from 'node:events';
import { createServer } from 'node:http';
import { trace } from '@opentelemetry/api';
import { getTelemetry, startTelemetry } from '@plinth/telemetry';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closedPort, startReceiver } from './helpers/receiver.js';

afterEach(async () => {
  await getTelemetry()?.shutdown();
});

function emit(name: string) {
  trace.getTracer('test').startSpan(name).end();
}

describe('an unreachable collector', () => {
  it('is logged exactly once across many failed exports, and nothing throws', async () => {
    const port = await closedPort();
    const logger = { warn: vi.fn(), info: vi.fn() };
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    const telemetry = startTelemetry({
      serviceName: 'clients',
      otlpEndpoint: `http://127.0.0.1:${port}`,
      headers: { authorization: 'Bearer super-secret-token' },
      logger,
      instrumentations: [],
      exportTimeoutMs: 1_000,
    });

    for (let i = 0; i < 3; i++) {
      emit(`lost-${i}`);
      await expect(telemetry.forceFlush()).resolves.toBeUndefined();
    }
    emit('lost-at-shutdown');
    await expect(telemetry.shutdown()).resolves.toBeUndefined();
    process.off('unhandledRejection', unhandled);

    expect(logger.warn).toHaveBeenCalledTimes(1);
    const [fields, message] = logger.warn.mock.calls[0] ?? [];
    expect(message).toMatch(/export failed/);
    expect(fields).toMatchObject({ endpoint: `http://127.0.0.1:${port}/v1/traces` });
    expect(JSON.stringify(fields)).not.toContain('super-secret-token');
    expect(logger.info).not.toHaveBeenCalled();
    expect(unhandled).not.toHaveBeenCalled();
  });

  it('logs one recovery line when the collector comes back', async () => {
    const port = await closedPort();
    const logger = { warn: vi.fn(), info: vi.fn() };
    const telemetry = startTelemetry({
      serviceName: 'clients',
      otlpEndpoint: `http://127.0.0.1:${port}`,
      logger,
      instrumentations: [],
      exportTimeoutMs: 1_000,
    });
    emit('lost');
    await telemetry.forceFlush();

    const receiver = await startReceiver(port);
    emit('delivered-1');
    await telemetry.forceFlush();
    emit('delivered-2');
    await telemetry.shutdown();

    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.info).toHaveBeenCalledTimes(1);
    expect(logger.info).toHaveBeenCalledWith(
      expect.objectContaining({ droppedSpans: 1 }),
      'telemetry export recovered',
    );
    expect(receiver.spanNames()).toEqual(['delivered-1', 'delivered-2']);
    await receiver.close();
  });

  it('bounds shutdown by shutdownTimeoutMs when the collector never answers', async () => {
    // A server that accepts the request and never responds.
    const hanging = createServer(() => {});
    hanging.listen(0, '127.0.0.1');
    await once(hanging, 'listening');
    const { port } = hanging.address() as { port: number };
    const logger = { warn: vi.fn() };
    const telemetry = startTelemetry({
      serviceName: 'clients',
      otlpEndpoint: `http://127.0.0.1:${port}`,
      logger,
      instrumentations: [],
      shutdownTimeoutMs: 200,
    });
    emit('stuck');

    await expect(telemetry.shutdown()).resolves.toBeUndefined();

    expect(logger.warn).toHaveBeenCalledWith(
      expect.objectContaining({ timeoutMs: 200 }),
      expect.stringMatching(/shutdown timed out/),
    );
    hanging.closeAllConnections();
    hanging.close();
  });

  it('keeps working when the logger itself throws', async () => {
    const port = await closedPort();
    const telemetry = startTelemetry({
      serviceName: 'clients',
      otlpEndpoint: `http://127.0.0.1:${port}`,
      logger: {
        warn: () => {
          throw new Error('logger broke');
        },
      },
      instrumentations: [],
      exportTimeoutMs: 1_000,
    });
    emit('lost');
    await expect(telemetry.forceFlush()).resolves.toBeUndefined();
    await expect(telemetry.shutdown()).resolves.toBeUndefined();
  });
});
