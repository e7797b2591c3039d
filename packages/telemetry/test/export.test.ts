import { trace } from '@opentelemetry/api';
import { getTelemetry, startTelemetry, type TelemetryHandle } from '@plinth/telemetry';
import { afterEach, describe, expect, it } from 'vitest';
import { otelGlobalsAreClean } from './helpers/otel-globals.js';
import { resourceAttributesOf, spansOf, startReceiver } from './helpers/receiver.js';

let current: TelemetryHandle | undefined;
afterEach(async () => {
  await current?.shutdown();
  current = undefined;
});

describe('startTelemetry with an OTLP endpoint', () => {
  it('exports a span with the service resource to <endpoint>/v1/traces as OTLP/JSON', async () => {
    const receiver = await startReceiver();
    current = startTelemetry({
      serviceName: 'clients',
      serviceVersion: '1.2.3',
      environment: 'test',
      otlpEndpoint: receiver.url,
      instrumentations: [],
      resourceAttributes: { 'team.name': 'core', 'service.name': 'ignored' },
    });

    trace.getTracer('test').startSpan('create-client').end();
    await current.shutdown();

    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request?.path).toBe('/v1/traces');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(spansOf(request?.body ?? '{}').map((s) => s.name)).toEqual(['create-client']);
    expect(resourceAttributesOf(request?.body ?? '{}')).toMatchObject({
      'service.name': 'clients',
      'service.version': '1.2.3',
      'deployment.environment.name': 'test',
      'team.name': 'core',
    });
    await receiver.close();
  });

  it('sends the configured headers to the collector', async () => {
    const receiver = await startReceiver();
    current = startTelemetry({
      serviceName: 'clients',
      otlpEndpoint: receiver.url,
      headers: { 'x-api-key': 'k-123' },
      instrumentations: [],
    });
    trace.getTracer('test').startSpan('with-headers').end();
    await current.forceFlush();
    expect(receiver.received[0]?.headers['x-api-key']).toBe('k-123');
    await receiver.close();
  });

  it('uses otlpTracesEndpoint as given, without appending /v1/traces', async () => {
    const receiver = await startReceiver();
    current = startTelemetry({
      serviceName: 'clients',
      otlpTracesEndpoint: `${receiver.url}/custom/traces`,
      instrumentations: [],
    });
    trace.getTracer('test').startSpan('custom-path').end();
    await current.forceFlush();
    expect(receiver.received.map((r) => r.path)).toEqual(['/custom/traces']);
    await receiver.close();
  });

  it('exports nothing when sampleRatio is 0', async () => {
    const receiver = await startReceiver();
    current = startTelemetry({
      serviceName: 'clients',
      otlpEndpoint: receiver.url,
      sampleRatio: 0,
      instrumentations: [],
    });
    const span = trace.getTracer('test').startSpan('never-sampled');
    expect(span.isRecording()).toBe(false);
    span.end();
    await current.shutdown();
    expect(receiver.received).toHaveLength(0);
    await receiver.close();
  });

  it('returns the same promise from every shutdown() and unregisters the OTel globals', async () => {
    const receiver = await startReceiver();
    const telemetry = startTelemetry({
      serviceName: 'clients',
      otlpEndpoint: receiver.url,
      instrumentations: [],
    });
    expect(telemetry.enabled).toBe(true);
    expect(otelGlobalsAreClean()).toBe(false);
    expect(getTelemetry()).toBe(telemetry);

    const first = telemetry.shutdown();
    expect(telemetry.shutdown()).toBe(first);
    await first;
    await expect(telemetry.shutdown()).resolves.toBeUndefined();

    expect(otelGlobalsAreClean()).toBe(true);
    expect(getTelemetry()).toBeUndefined();
    await receiver.close();
  });

  it('can start again after a shutdown', async () => {
    const receiver = await startReceiver();
    await startTelemetry({
      serviceName: 'a',
      otlpEndpoint: receiver.url,
      instrumentations: [],
    }).shutdown();
    current = startTelemetry({
      serviceName: 'b',
      otlpEndpoint: receiver.url,
      instrumentations: [],
    });
    trace.getTracer('test').startSpan('second-run').end();
    await current.shutdown();
    expect(receiver.spanNames()).toEqual(['second-run']);
    await receiver.close();
  });

  it('refuses a second start while one is running', async () => {
    const receiver = await startReceiver();
    current = startTelemetry({
      serviceName: 'clients',
      otlpEndpoint: receiver.url,
      instrumentations: [],
    });
    expect(() => startTelemetry({ serviceName: 'clients', otlpEndpoint: receiver.url })).toThrow(
      expect.objectContaining({ code: 'TELEMETRY_ALREADY_STARTED' }),
    );
    await receiver.close();
  });

  it('reports the traces URL without the query string', async () => {
    current = startTelemetry({
      serviceName: 'clients',
      otlpEndpoint: 'http://127.0.0.1:4318/otlp/?token=s3cret',
      instrumentations: [],
    });
    expect(current.tracesUrl).toBe('http://127.0.0.1:4318/otlp/v1/traces');
  });
});
