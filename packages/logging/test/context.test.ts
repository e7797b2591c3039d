import { createRequestContext, runJob, runWithContext } from '@plinth/context';
import { describe, expect, it } from 'vitest';
import { capture } from './helpers.js';

const CONTEXT_KEYS = ['correlationId', 'requestId', 'tenantId', 'userId', 'operation'];

describe('context fields', () => {
  it('adds correlation, request, tenant and user ids inside a context', async () => {
    const { logger, last } = capture();
    const ctx = createRequestContext({
      correlationId: 'corr-1',
      tenantId: 't1',
      principal: { id: 'user-9' },
    });
    await runWithContext(ctx, async () => {
      await Promise.resolve();
      logger.info('inside');
    });
    expect(last()).toMatchObject({
      correlationId: 'corr-1',
      requestId: ctx.requestId,
      tenantId: 't1',
      userId: 'user-9',
      msg: 'inside',
    });
  });

  it('adds none of them outside a context', () => {
    const { logger, last } = capture();
    logger.info('outside');
    const line = last();
    for (const key of [...CONTEXT_KEYS, 'trace_id', 'span_id'])
      expect(line).not.toHaveProperty(key);
  });

  it('leaves out fields the context does not have', () => {
    const { logger, last } = capture();
    runWithContext(createRequestContext(), () => logger.info('anonymous'));
    expect(last()).not.toHaveProperty('tenantId');
    expect(last()).not.toHaveProperty('userId');
  });

  it("keeps the context's tenant over a caller's and moves the caller's under callerFields", () => {
    const { logger, raw, last } = capture();
    runWithContext(createRequestContext({ tenantId: 'ctx-tenant' }), () =>
      logger.info({ tenantId: 'forged', correlationId: 'forged-id' }, 'override'),
    );
    expect(last().tenantId).toBe('ctx-tenant');
    expect(last().correlationId).not.toBe('forged-id');
    expect(last().callerFields).toEqual({ tenantId: 'forged', correlationId: 'forged-id' });
    expect(raw[0]?.match(/"tenantId"/g)).toHaveLength(2);
    expect(raw[0]?.match(/^\{"level":"info","time":"[^"]+","pid":\d+,/)).not.toBeNull();
  });

  it("keeps the caller's tenant when no context holds one", () => {
    const { logger, last } = capture();
    logger.info({ tenantId: 'explicit' }, 'no context');
    expect(last().tenantId).toBe('explicit');
    expect(last()).not.toHaveProperty('callerFields');
  });

  it('includes the job name as operation inside runJob', () => {
    const { logger, last } = capture();
    runJob('send-invoice', () => logger.info('job line'));
    expect(last()).toMatchObject({ operation: 'send-invoice' });
  });

  it('can be turned off', () => {
    const { logger, last } = capture({ context: false });
    runWithContext(createRequestContext(), () => logger.info('no ctx fields'));
    expect(last()).not.toHaveProperty('correlationId');
  });

  it('carries context fields on child logger lines too', () => {
    const { logger, last } = capture();
    const child = logger.child({ component: 'billing' });
    runWithContext(createRequestContext({ correlationId: 'c-child' }), () => child.info('x'));
    expect(last()).toMatchObject({ component: 'billing', correlationId: 'c-child' });
  });
});
