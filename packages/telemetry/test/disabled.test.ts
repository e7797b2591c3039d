import { getTelemetry, startTelemetry } from '@plinth/telemetry';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { otelGlobalsAreClean } from './helpers/otel-globals.js';

afterEach(async () => {
  await getTelemetry()?.shutdown();
  vi.restoreAllMocks();
});

function spyOnOutput() {
  return [
    vi.spyOn(process.stdout, 'write'),
    vi.spyOn(process.stderr, 'write'),
    vi.spyOn(process, 'emitWarning'),
    vi.spyOn(console, 'warn'),
    vi.spyOn(console, 'error'),
    vi.spyOn(console, 'log'),
  ];
}

describe('startTelemetry without an endpoint', () => {
  it('returns a disabled handle, registers no OTel globals and prints nothing', async () => {
    const output = spyOnOutput();
    const warn = vi.fn();

    const telemetry = startTelemetry({ serviceName: 'clients', logger: { warn } });
    await telemetry.forceFlush();
    expect(telemetry.enabled).toBe(false);
    expect(telemetry.tracesUrl).toBeUndefined();
    expect(telemetry.instrumentations).toEqual([]);
    expect(otelGlobalsAreClean()).toBe(true);
    await telemetry.shutdown();

    for (const spy of output) expect(spy).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
  });

  it('treats an empty endpoint string as not configured', async () => {
    const telemetry = startTelemetry({ serviceName: 'clients', otlpEndpoint: '' });
    expect(telemetry.enabled).toBe(false);
    await telemetry.shutdown();
  });

  it('stays disabled with enabled: false even when an endpoint is set', async () => {
    const telemetry = startTelemetry({
      serviceName: 'clients',
      otlpEndpoint: 'http://127.0.0.1:4318',
      enabled: false,
    });
    expect(telemetry.enabled).toBe(false);
    expect(otelGlobalsAreClean()).toBe(true);
    await telemetry.shutdown();
  });

  it('has an idempotent shutdown that frees the slot for a new start', async () => {
    const telemetry = startTelemetry({ serviceName: 'clients' });
    expect(getTelemetry()).toBe(telemetry);
    const first = telemetry.shutdown();
    expect(telemetry.shutdown()).toBe(first);
    await first;
    expect(getTelemetry()).toBeUndefined();
    const again = startTelemetry({ serviceName: 'clients' });
    expect(getTelemetry()).toBe(again);
  });

  it('still validates options, so a typo surfaces in development too', () => {
    expect(() => startTelemetry({ serviceName: '' })).toThrow(
      expect.objectContaining({ code: 'TELEMETRY_OPTIONS_INVALID' }),
    );
  });
});
