import { setTimeout as delay } from 'node:timers/promises';
import { getContext, runCli, runJob } from '@plinth/context';
import { describe, expect, it } from 'vitest';

describe('runJob', () => {
  it('runs the job in a frozen job context named after it', async () => {
    const ctx = await runJob(
      'send-invoice',
      async (c) => {
        expect(getContext()).toBe(c);
        return c;
      },
      { tenantId: 't1' },
    );
    expect(ctx).toMatchObject({
      source: 'job',
      operation: 'send-invoice',
      tenantId: 't1',
      correlationIdSource: 'generated',
    });
    expect(Object.isFrozen(ctx)).toBe(true);
    expect(getContext()).toBeUndefined();
  });

  it('keeps the context across timers inside the job', async () => {
    const seen = await runJob('tick', async () => {
      const fromTimeout = await new Promise((r) => setTimeout(() => r(getContext()?.operation), 1));
      const fromInterval = await new Promise((r) => {
        const h = setInterval(() => {
          clearInterval(h);
          r(getContext()?.operation);
        }, 1);
      });
      await delay(1);
      return [fromTimeout, fromInterval, getContext()?.operation];
    });
    expect(seen).toEqual(['tick', 'tick', 'tick']);
  });

  it('continues a valid correlation id carried in the payload', () => {
    const ctx = runJob('j', (c) => c, { payload: { correlationId: 'req-77', orderId: 1 } });
    expect(ctx).toMatchObject({ correlationId: 'req-77', correlationIdSource: 'client' });
  });

  it('prefers the explicit correlation id over the payload one', () => {
    const ctx = runJob('j', (c) => c, {
      correlationId: 'explicit',
      payload: { correlationId: 'p' },
    });
    expect(ctx.correlationId).toBe('explicit');
  });

  it('replaces a hostile payload correlation id with a fresh one and still runs', () => {
    const ctx = runJob('j', (c) => c, { payload: { correlationId: 'x\r\ninjected' } });
    expect(ctx.correlationIdSource).toBe('generated');
    expect(ctx.correlationId).not.toContain('injected');
  });

  it('ignores payloads without a string correlation id', () => {
    for (const payload of [null, 'str', 5, { correlationId: 5 }, []]) {
      expect(runJob('j', (c) => c.correlationIdSource, { payload })).toBe('generated');
    }
  });

  it('propagates the job error', async () => {
    await expect(runJob('fail', async () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
  });
});

describe('runCli', () => {
  it('runs the command in a cli context', () => {
    const ctx = runCli('backfill', (c) => c, { correlationId: 'cli-1' });
    expect(ctx).toMatchObject({ source: 'cli', operation: 'backfill', correlationId: 'cli-1' });
  });
});
