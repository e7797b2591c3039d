import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { logs, metrics, trace } from '@opentelemetry/api';
import { getTelemetry, startTelemetry, type TelemetryHandle } from '@plinth/telemetry';
import { afterEach, describe, expect, it } from 'vitest';
import { otelGlobalsAreClean } from './helpers/otel-globals.js';
import { flatten, resourceAttributesOf, startReceiver } from './helpers/receiver.js';

let current: TelemetryHandle | undefined;
afterEach(async () => {
  await current?.shutdown();
  current = undefined;
});

async function started(extra: Record<string, unknown> = {}) {
  const receiver = await startReceiver();
  current = startTelemetry({
    service: { name: 'clients', version: '1.2.3', environment: 'test' },
    otlpEndpoint: receiver.url,
    instrumentations: [],
    ...extra,
  });
  return { receiver, telemetry: current };
}

describe('startTelemetry with an OTLP endpoint', () => {
  it('exports spans, metrics and logs to <endpoint>/v1/<signal> as OTLP/JSON with the service resource', async () => {
    const { receiver, telemetry } = await started({
      resourceAttributes: { 'team.name': 'core', 'service.name': 'ignored' },
    });
    const span = trace.getTracer('test').startSpan('create-client');
    metrics.getMeter('test').createCounter('clients.created').add(1);
    logs.getLogger('test').emit({ body: 'client created' });
    span.end();
    await telemetry.shutdown();
    await receiver.close();

    expect(receiver.received.map((r) => r.path).sort()).toEqual([
      '/v1/logs',
      '/v1/metrics',
      '/v1/traces',
    ]);
    expect(receiver.received[0]?.headers['content-type']).toBe('application/json');
    expect(receiver.spanNames()).toEqual(['create-client']);
    expect(receiver.metrics().map((m) => m.name)).toContain('clients.created');
    expect(receiver.logs().map((r) => r.body?.stringValue)).toEqual(['client created']);
    const resource = resourceAttributesOf(receiver.received[0]?.body ?? '{}');
    expect(resource).toMatchObject({
      'service.name': 'clients',
      'service.version': '1.2.3',
      'deployment.environment.name': 'test',
      'team.name': 'core',
      'telemetry.sdk.language': 'nodejs',
    });
  });

  it('copies no command-line argument or environment value into the resource', async () => {
    process.env.PLINTH_TEST_SECRET = 'env-secret-value';
    const { receiver, telemetry } = await started();
    trace.getTracer('test').startSpan('probe').end();
    await telemetry.shutdown();
    await receiver.close();
    delete process.env.PLINTH_TEST_SECRET;

    const resource = resourceAttributesOf(receiver.received[0]?.body ?? '{}');
    expect(Object.keys(resource).filter((key) => key.startsWith('process.'))).toEqual([]);
    expect(JSON.stringify(resource)).not.toContain('env-secret-value');
  });

  it('links a log record to the active span', async () => {
    const { receiver, telemetry } = await started();
    const tracer = trace.getTracer('test');
    tracer.startActiveSpan('handle', (span) => {
      logs.getLogger('test').emit({ body: 'inside' });
      span.end();
    });
    await telemetry.forceFlush();
    await receiver.close();
    const [span] = receiver.spans();
    expect(receiver.logs()[0]).toMatchObject({ traceId: span?.traceId, spanId: span?.spanId });
  });

  it('sends the configured headers to the collector', async () => {
    const { receiver, telemetry } = await started({ headers: { 'x-api-key': 'k-123' } });
    trace.getTracer('test').startSpan('with-headers').end();
    await telemetry.forceFlush();
    await receiver.close();
    expect(receiver.received[0]?.headers['x-api-key']).toBe('k-123');
  });

  it('exports no span when sampleRatio is 0', async () => {
    const { receiver, telemetry } = await started({ sampleRatio: 0 });
    const span = trace.getTracer('test').startSpan('never-sampled');
    expect(span.isRecording()).toBe(false);
    span.end();
    await telemetry.shutdown();
    await receiver.close();
    expect(receiver.spans()).toEqual([]);
  });

  it('unregisters the OTel globals at shutdown and can start again', async () => {
    const { receiver, telemetry } = await started();
    expect(otelGlobalsAreClean()).toBe(false);
    await telemetry.shutdown();
    expect(otelGlobalsAreClean()).toBe(true);
    expect(getTelemetry()).toBeUndefined();

    current = startTelemetry({
      service: { name: 'b' },
      otlpEndpoint: receiver.url,
      instrumentations: [],
    });
    trace.getTracer('test').startSpan('second-run').end();
    await current.shutdown();
    await receiver.close();
    // 'probe' is the span otelGlobalsAreClean started while the first run was live.
    expect(receiver.spanNames()).toEqual(['probe', 'second-run']);
  });

  it('refuses a second start while one is running', async () => {
    const { receiver } = await started();
    expect(() => startTelemetry({ service: { name: 'again' } })).toThrow(
      expect.objectContaining({ code: 'TELEMETRY_ALREADY_STARTED' }),
    );
    await receiver.close();
  });

  it('refuses to start over another OpenTelemetry SDK', () => {
    const foreign = { getTracer: () => trace.getTracer('noop') };
    trace.setGlobalTracerProvider(foreign as never);
    try {
      expect(() => startTelemetry({ service: { name: 's' } })).toThrow(
        expect.objectContaining({ code: 'TELEMETRY_ALREADY_STARTED' }),
      );
    } finally {
      trace.disable();
    }
  });

  it('records a client span for a fetch call with the built-in undici instrumentation', async () => {
    const { receiver, telemetry } = await started({ instrumentations: ['undici'] });
    const server = createServer((_req, res) => res.end('ok'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;

    const response = await fetch(`http://127.0.0.1:${port}/clients`);
    await response.text();
    await telemetry.shutdown();
    server.closeAllConnections();
    server.close();
    await receiver.close();

    const CLIENT = 3;
    const [span] = receiver.spans();
    expect(receiver.spans()).toHaveLength(1);
    expect(span).toMatchObject({ name: 'GET', kind: CLIENT });
    expect(flatten(span?.attributes)).toMatchObject({
      'http.request.method': 'GET',
      'http.response.status_code': 200,
      'url.full': `http://127.0.0.1:${port}/clients`,
    });
  });

  it('reports the endpoint without the query string', () => {
    current = startTelemetry({
      service: { name: 'clients' },
      otlpEndpoint: 'http://127.0.0.1:4318/otlp/?token=s3cret',
      instrumentations: [],
    });
    expect(current.endpoint).toBe('http://127.0.0.1:4318/otlp/');
  });
});
