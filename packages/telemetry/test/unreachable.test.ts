import { once } from 'node:events';
import { createServer } from 'node:http';
import { logs, trace } from '@opentelemetry/api';
import { getTelemetry, startTelemetry } from '@plinth/telemetry';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closedPort, startReceiver } from './helpers/receiver.js';

afterEach(async () => {
  await getTelemetry()?.shutdown();
});

const logger = () => ({ error: vi.fn(), warn: vi.fn(), info: vi.fn() });

function emit(name: string) {
  trace.getTracer('test').startSpan(name).end();
  logs.getLogger('test').emit({ body: name });
}

describe('an unreachable collector', () => {
  it('is logged exactly once across signals and failed exports, and nothing throws', async () => {
    const port = await closedPort();
    const log = logger();
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    const telemetry = startTelemetry({
      service: { name: 'clients' },
      otlpEndpoint: `http://127.0.0.1:${port}`,
      headers: { authorization: 'Bearer super-secret-token' },
      logger: log,
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

    expect(log.warn).toHaveBeenCalledTimes(1);
    const [fields, message] = log.warn.mock.calls[0] ?? [];
    expect(message).toMatch(/export failed/);
    expect(fields).toMatchObject({ endpoint: `http://127.0.0.1:${port}/` });
    expect(JSON.stringify(fields)).not.toContain('super-secret-token');
    expect(log.info).not.toHaveBeenCalled();
    expect(unhandled).not.toHaveBeenCalled();
  });

  it('logs one recovery line when the collector comes back', async () => {
    const port = await closedPort();
    const log = logger();
    const telemetry = startTelemetry({
      service: { name: 'clients' },
      otlpEndpoint: `http://127.0.0.1:${port}`,
      logger: log,
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
    await receiver.close();

    expect(log.warn).toHaveBeenCalledTimes(1);
    expect(log.info).toHaveBeenCalledTimes(1);
    expect(log.info).toHaveBeenCalledWith(
      expect.objectContaining({ failedExports: expect.any(Number) }),
      'telemetry export recovered',
    );
    // The exporter retries a refused export with backoff: when the collector is back within
    // that window, 'lost' arrives late (once) rather than never; both outcomes are correct.
    const names = receiver.spanNames();
    expect(names.filter((n) => n !== 'lost')).toEqual(['delivered-1', 'delivered-2']);
    expect(names.filter((n) => n === 'lost').length).toBeLessThanOrEqual(1);
  });

  it('bounds shutdown by shutdownTimeoutMs when the collector never answers', async () => {
    const hanging = createServer(() => {});
    hanging.listen(0, '127.0.0.1');
    await once(hanging, 'listening');
    const { port } = hanging.address() as { port: number };
    const log = logger();
    const telemetry = startTelemetry({
      service: { name: 'clients' },
      otlpEndpoint: `http://127.0.0.1:${port}`,
      logger: log,
      instrumentations: [],
      shutdownTimeoutMs: 200,
    });
    emit('stuck');

    await expect(telemetry.shutdown()).resolves.toBeUndefined();

    expect(log.warn).toHaveBeenCalledWith(
      expect.objectContaining({ timeoutMs: 200 }),
      expect.stringMatching(/shutdown timed out/),
    );
    hanging.closeAllConnections();
    hanging.close();
  });

  it('keeps working when the logger itself throws', async () => {
    const port = await closedPort();
    const broken = () => {
      throw new Error('logger broke');
    };
    const telemetry = startTelemetry({
      service: { name: 'clients' },
      otlpEndpoint: `http://127.0.0.1:${port}`,
      logger: { error: broken, warn: broken, info: broken },
      instrumentations: [],
      exportTimeoutMs: 1_000,
    });
    emit('lost');
    await expect(telemetry.forceFlush()).resolves.toBeUndefined();
    await expect(telemetry.shutdown()).resolves.toBeUndefined();
  });

  it('writes its one warning as a JSON line on stderr when no logger is given', async () => {
    const port = await closedPort();
    const telemetry = startTelemetry({
      service: { name: 'clients' },
      otlpEndpoint: `http://127.0.0.1:${port}`,
      instrumentations: [],
      exportTimeoutMs: 1_000,
    });
    emit('lost');
    const lines: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: unknown) => lines.push(String(chunk)) > 0) as typeof write;
    try {
      await telemetry.shutdown();
    } finally {
      process.stderr.write = write;
    }
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      level: 'warn',
      endpoint: `http://127.0.0.1:${port}/`,
    });
  });
});
