import { Agent } from 'node:http';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { describe, expect, it, vi } from 'vitest';
import { createExportStopper, retryingTransportOf } from '../src/export-stopper.js';

// The stopper reaches into the OTLP exporters' private retrying transport (ADR 0118).
// These tests are the tripwire: an exporter upgrade that moves it fails here, not
// silently in production as a process that outlives shutdown() by its retry backoff.
const url = 'http://127.0.0.1:9/v1/x';

describe('the OTLP exporters this package installs', () => {
  it.each([
    ['traces', () => new OTLPTraceExporter({ url })],
    ['metrics', () => new OTLPMetricExporter({ url })],
    ['logs', () => new OTLPLogExporter({ url })],
  ])('%s: still expose the retrying transport the stopper wraps', async (_signal, make) => {
    const exporter = make();
    const transport = retryingTransportOf(exporter);
    expect(transport).toBeDefined();
    expect(typeof transport?.retry).toBe('function');
    expect(typeof transport?._transport.send).toBe('function');
    await exporter.shutdown();
  });
});

describe('createExportStopper', () => {
  it('leaves an object without the expected internals unchanged', () => {
    const stopper = createExportStopper();
    const plain = { export() {} };
    expect(stopper.track(plain)).toBe(plain);
    expect(retryingTransportOf(plain)).toBeUndefined();
  });

  it('resolves a retry waiting on its backoff as failed when stopped, at once', async () => {
    const stopper = createExportStopper();
    const exporter = new OTLPTraceExporter({ url });
    stopper.track(exporter);
    const transport = retryingTransportOf(exporter);
    if (!transport) throw new Error('no retrying transport');
    let sent = 0;
    transport._transport.send = async () => {
      sent++;
      return { status: 'success' };
    };
    const started = Date.now();
    const pending = transport.retry(new Uint8Array(1), 1_000, 60_000);
    stopper.stop();
    const result = await pending;
    expect(result.status).toBe('failure');
    expect(result.error?.message).toMatch(/shut down/);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(sent).toBe(0);
    expect(stopper.stopped).toBe(true);
    // After stop, a new retry fails without waiting or sending.
    await expect(transport.retry(new Uint8Array(1), 1_000, 60_000)).resolves.toMatchObject({
      status: 'failure',
    });
    expect(sent).toBe(0);
  });

  it('sends a retry after its backoff while running', async () => {
    const stopper = createExportStopper();
    const exporter = new OTLPTraceExporter({ url });
    stopper.track(exporter);
    const transport = retryingTransportOf(exporter);
    if (!transport) throw new Error('no retrying transport');
    transport._transport.send = async () => ({ status: 'success' });
    await expect(transport.retry(new Uint8Array(1), 1_000, 5)).resolves.toEqual({
      status: 'success',
    });
    stopper.stop();
  });

  it('destroys the agents it made, and one made after stop at once', async () => {
    const destroy = vi.spyOn(Agent.prototype, 'destroy');
    try {
      const stopper = createExportStopper();
      const before = await stopper.agentFactory('http:');
      expect(destroy).not.toHaveBeenCalled();
      stopper.stop();
      expect(destroy.mock.contexts).toEqual([before]);
      const after = await stopper.agentFactory('http:');
      expect(destroy.mock.contexts).toEqual([before, after]);
    } finally {
      destroy.mockRestore();
    }
  });
});
