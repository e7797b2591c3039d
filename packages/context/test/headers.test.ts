import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { bindContext, contextHeaders, createRequestContext, runWithContext } from '@plinth/context';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
const manager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  context.setGlobalContextManager(manager.enable());
  trace.setGlobalTracerProvider(provider);
  propagation.setGlobalPropagator(
    new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
  );
});

afterAll(async () => {
  await provider.shutdown();
  context.disable();
  trace.disable();
  propagation.disable();
});

const tracer = () => trace.getTracer('context-test');

describe('contextHeaders', () => {
  it('returns nothing outside any context or span', () => {
    expect(contextHeaders()).toEqual({});
  });

  it('carries the correlation id of the ambient context', () => {
    const ctx = createRequestContext({ correlationId: 'corr-1' });
    expect(runWithContext(ctx, () => contextHeaders())).toEqual({ 'x-correlation-id': 'corr-1' });
  });

  it('injects a W3C traceparent for the active span', () => {
    const ctx = createRequestContext({ correlationId: 'corr-2' });
    tracer().startActiveSpan('outgoing', (span) => {
      const headers = runWithContext(ctx, () => contextHeaders());
      const { traceId, spanId } = span.spanContext();
      expect(headers['x-correlation-id']).toBe('corr-2');
      expect(headers.traceparent).toBe(`00-${traceId}-${spanId}-01`);
      span.end();
    });
  });

  it('carries the OTel span through bindContext as well as the Plinth context', () => {
    const ctx = createRequestContext({ correlationId: 'bound' });
    let spanId = '';
    const bound = tracer().startActiveSpan('bound', (span) => {
      spanId = span.spanContext().spanId;
      const fn = runWithContext(ctx, () => bindContext(() => contextHeaders()));
      span.end();
      return fn;
    });
    const headers = bound();
    expect(headers['x-correlation-id']).toBe('bound');
    expect(headers.traceparent).toContain(spanId);
  });

  it('sends only allow-listed baggage keys', () => {
    const baggage = propagation.createBaggage({
      plan: { value: 'gold' },
      email: { value: 'someone@example.com' },
    });
    context.with(propagation.setBaggage(context.active(), baggage), () => {
      expect(contextHeaders().baggage).toBeUndefined();
      expect(contextHeaders({ baggageKeys: ['plan'] }).baggage).toBe('plan=gold');
    });
  });

  it('skips trace headers when OpenTelemetry is not available', () => {
    tracer().startActiveSpan('s', (span) => {
      expect(contextHeaders({ otel: null })).toEqual({});
      span.end();
    });
  });

  it('still returns the correlation id when the propagator throws', () => {
    const broken = {
      context: { active: () => ({}) },
      propagation: {
        inject() {
          throw new Error('broken');
        },
        getBaggage: () => undefined,
        setBaggage: (c: unknown) => c,
        deleteBaggage: (c: unknown) => c,
        createBaggage: () => ({ getAllEntries: () => [] }),
      },
    };
    const ctx = createRequestContext({ correlationId: 'c3' });
    expect(runWithContext(ctx, () => contextHeaders({ otel: broken }))).toEqual({
      'x-correlation-id': 'c3',
    });
  });
});
