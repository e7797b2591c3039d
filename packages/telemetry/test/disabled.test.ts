import { getTelemetry, startTelemetry } from '@plinth/telemetry';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { otelGlobalsAreClean } from './helpers/otel-globals.js';

afterEach(async () => {
  await getTelemetry()?.shutdown();
  vi.restoreAllMocks();
});

const service = { name: 'clients' };

describe('startTelemetry without an endpoint', () => {
  it('returns a disabled handle, registers no OTel globals and prints nothing', async () => {
    const output = [
      vi.spyOn(process.stdout, 'write'),
      vi.spyOn(process.stderr, 'write'),
      vi.spyOn(process, 'emitWarning'),
    ];
    const telemetry = startTelemetry({ service });
    await telemetry.forceFlush();
    expect(telemetry).toMatchObject({ enabled: false, endpoint: undefined, instrumentations: [] });
    expect(otelGlobalsAreClean()).toBe(true);
    await telemetry.shutdown();
    for (const spy of output) expect(spy).not.toHaveBeenCalled();
  });

  it('treats an empty endpoint string as not configured', async () => {
    expect(startTelemetry({ service, otlpEndpoint: '' }).enabled).toBe(false);
  });

  it('stays disabled with enabled: false even when an endpoint is set', async () => {
    const telemetry = startTelemetry({
      service,
      otlpEndpoint: 'http://127.0.0.1:4318',
      enabled: false,
    });
    expect(telemetry.enabled).toBe(false);
    expect(otelGlobalsAreClean()).toBe(true);
  });

  it('has an idempotent shutdown that frees the slot for a new start', async () => {
    const telemetry = startTelemetry({ service });
    expect(getTelemetry()).toBe(telemetry);
    const first = telemetry.shutdown();
    expect(telemetry.shutdown()).toBe(first);
    await first;
    expect(getTelemetry()).toBeUndefined();
    const again = startTelemetry({ service });
    expect(getTelemetry()).toBe(again);
  });

  it('shares one slot per process under the v1 brand', () => {
    const telemetry = startTelemetry({ service });
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('plinth.telemetry.v1')]).toBe(
      telemetry,
    );
  });
});
