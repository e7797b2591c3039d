import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { createRequestContext, runWithContext } from '@plinth/context';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capture } from './helpers.js';

const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
});

afterAll(async () => {
  await provider.shutdown();
  context.disable();
  trace.disable();
});

describe('trace fields', () => {
  it('equal the ids of the active span, across an await', async () => {
    const { logger, last } = capture();
    const tracer = trace.getTracer('logging-test');
    const ids = await tracer.startActiveSpan('work', async (span) => {
      await new Promise((r) => setTimeout(r, 1));
      logger.info('in span');
      span.end();
      return span.spanContext();
    });
    expect(last()).toMatchObject({ trace_id: ids.traceId, span_id: ids.spanId, trace_flags: '01' });
    const exported = exporter.getFinishedSpans().find((s) => s.name === 'work');
    expect(exported?.spanContext().traceId).toBe(last().trace_id);
  });

  it('sit next to the context fields', () => {
    const { logger, last } = capture();
    trace.getTracer('t').startActiveSpan('both', (span) => {
      runWithContext(createRequestContext({ correlationId: 'c-otel' }), () => logger.info('x'));
      span.end();
    });
    expect(last()).toMatchObject({ correlationId: 'c-otel' });
    expect(last().trace_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('are absent without an active span', () => {
    const { logger, last } = capture();
    logger.info('no span');
    expect(last()).not.toHaveProperty('trace_id');
  });

  it('are absent for an invalid span context', () => {
    const { logger, last } = capture();
    context.with(
      trace.setSpan(
        context.active(),
        trace.wrapSpanContext({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 }),
      ),
      () => logger.info('invalid'),
    );
    expect(last()).not.toHaveProperty('trace_id');
  });

  it('are skipped when otel is null', () => {
    const { logger, last } = capture({ otel: null });
    trace.getTracer('t').startActiveSpan('off', (span) => {
      logger.info('x');
      span.end();
    });
    expect(last()).not.toHaveProperty('trace_id');
  });
});
