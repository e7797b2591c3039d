import { setTimeout as delay } from 'node:timers/promises';
import {
  createRequestContext,
  deriveContext,
  enterContext,
  getContext,
  type RequestContext,
  requireContext,
  runWithContext,
  withContext,
} from '@plinth/context';
import { describe, expect, it } from 'vitest';

describe('runWithContext / getContext', () => {
  it('returns undefined outside any context', () => {
    expect(getContext()).toBeUndefined();
  });

  it('keeps 2,000 interleaved concurrent contexts apart', async () => {
    const n = 2000;
    const seen = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        runWithContext(
          createRequestContext({ tenantId: `t${i}`, correlationId: `c-${i}` }),
          async () => {
            const out: string[] = [];
            // Yield in different patterns so the tasks interleave.
            for (let hop = 0; hop < 3; hop++) {
              if ((i + hop) % 3 === 0) await delay(0);
              else if ((i + hop) % 3 === 1) await new Promise((r) => setImmediate(r));
              else await Promise.resolve();
              const ctx = getContext();
              out.push(`${ctx?.tenantId}/${ctx?.correlationId}`);
            }
            return out;
          },
        ),
      ),
    );
    seen.forEach((values, i) => {
      expect(values).toEqual([`t${i}/c-${i}`, `t${i}/c-${i}`, `t${i}/c-${i}`]);
    });
  });

  it('survives setTimeout and promise chains', async () => {
    const ctx = createRequestContext({ tenantId: 'timer' });
    const fromTimer = await runWithContext(
      ctx,
      () =>
        new Promise<RequestContext | undefined>((resolve) =>
          setTimeout(() => resolve(getContext()), 1),
        ),
    );
    const fromThen = await runWithContext(ctx, () =>
      Promise.resolve()
        .then(() => undefined)
        .then(() => getContext()),
    );
    expect(fromTimer).toBe(ctx);
    expect(fromThen).toBe(ctx);
  });

  it('restores the outer context after a nested run', () => {
    const outer = createRequestContext({ tenantId: 'outer' });
    const inner = createRequestContext({ tenantId: 'inner' });
    runWithContext(outer, () => {
      expect(runWithContext(inner, () => getContext()?.tenantId)).toBe('inner');
      expect(getContext()?.tenantId).toBe('outer');
    });
  });

  it('validates and freezes a plain object passed in instead of a built context', () => {
    const plain = {
      correlationId: 'p-1',
      correlationIdSource: 'client',
      requestId: 'r-1',
      source: 'test',
      startedAt: 1,
    } as RequestContext;
    const active = runWithContext(plain, () => getContext())!;
    expect(active).not.toBe(plain);
    expect(Object.isFrozen(active)).toBe(true);
    expect(active).toMatchObject({ correlationId: 'p-1', requestId: 'r-1', source: 'test' });
  });

  it('never makes a hostile id from a plain object ambient', () => {
    const plain = {
      correlationId: 'bad\nid',
      requestId: 'r',
      source: 'http',
      startedAt: 1,
    } as RequestContext;
    const active = runWithContext(plain, () => getContext())!;
    expect(active.correlationId).not.toContain('bad');
    expect(active.correlationIdSource).toBe('generated');
  });

  it('refuses a missing context as a wiring bug instead of running in a fresh one', () => {
    for (const ctx of [null, undefined, 'ctx']) {
      expect(() => runWithContext(ctx as never, () => 1)).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTIONS', status: 500 }),
      );
    }
  });
});

describe('requireContext', () => {
  it('throws an InternalError with code CONTEXT_MISSING outside a context', () => {
    expect(() => requireContext()).toThrow(
      expect.objectContaining({ code: 'CONTEXT_MISSING', status: 500 }),
    );
  });

  it('returns the active context inside one', () => {
    const ctx = createRequestContext();
    expect(runWithContext(ctx, () => requireContext())).toBe(ctx);
  });
});

describe('withContext', () => {
  it('runs a derived child and restores the parent afterwards', async () => {
    const parent = createRequestContext({ tenantId: 'p' });
    await runWithContext(parent, async () => {
      const child = await withContext({ tenantId: 'c' }, async () => {
        await delay(0);
        return getContext();
      });
      expect(child?.tenantId).toBe('c');
      expect(child?.correlationId).toBe(parent.correlationId);
      expect(getContext()).toBe(parent);
    });
  });

  it('creates a fresh context when none is active', () => {
    const ctx = withContext({ tenantId: 'x' }, () => getContext());
    expect(ctx).toMatchObject({ tenantId: 'x', correlationIdSource: 'generated' });
  });
});

describe('enterContext', () => {
  it('replaces the context for the rest of the callback; the outer run restores its own', () => {
    const outer = createRequestContext({ tenantId: 'outer' });
    const inner = createRequestContext({ tenantId: 'inner' });
    const seen = runWithContext(outer, () => {
      const before = getContext();
      const nested = runWithContext(deriveContext(outer, { tenantId: 'nested' }), () => {
        enterContext(inner);
        return getContext();
      });
      return { before, nested, after: getContext() };
    });
    expect(seen).toEqual({ before: outer, nested: inner, after: outer });
    expect(getContext()).toBeUndefined();
  });

  it('carries the new context into async hops started after it, not into earlier ones', async () => {
    const first = createRequestContext({ tenantId: 'first' });
    const second = deriveContext(first, { tenantId: 'second' });
    const seen = await runWithContext(first, async () => {
      const early = delay(5).then(() => getContext()?.tenantId);
      enterContext(second);
      const timer = new Promise((r) => setTimeout(() => r(getContext()?.tenantId), 1));
      const immediate = new Promise((r) => setImmediate(() => r(getContext()?.tenantId)));
      await delay(0);
      return [await early, await timer, await immediate, getContext()?.tenantId];
    });
    expect(seen).toEqual(['first', 'second', 'second', 'second']);
    expect(getContext()).toBeUndefined();
  });

  it('after an await, changes only the continuation it runs in (concurrent requests stay apart)', async () => {
    const seen = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        runWithContext(createRequestContext({ tenantId: `t${i}` }), async () => {
          await (i % 2 ? delay(0) : Promise.resolve());
          enterContext(deriveContext(getContext(), { tenantId: `t${i}-authed` }));
          await new Promise((r) => setImmediate(r));
          return getContext()?.tenantId;
        }),
      ),
    );
    expect(seen).toEqual(Array.from({ length: 200 }, (_, i) => `t${i}-authed`));
    expect(getContext()).toBeUndefined();
  });

  it('throws CONTEXT_MISSING where no context is current: it never starts one', () => {
    expect(() => enterContext(createRequestContext())).toThrow(
      expect.objectContaining({ code: 'CONTEXT_MISSING', status: 500 }),
    );
    expect(getContext()).toBeUndefined();
  });

  it('validates and freezes a context it did not build, as runWithContext does', () => {
    const base = createRequestContext({ tenantId: 't1' });
    const lookAlike = { ...base, tenantId: 't2' } as RequestContext;
    const adopted = runWithContext(base, () => {
      enterContext(lookAlike);
      return getContext();
    });
    expect(adopted).not.toBe(lookAlike);
    expect(adopted).toMatchObject({ tenantId: 't2', correlationId: base.correlationId });
    expect(Object.isFrozen(adopted)).toBe(true);
    const tampered = { ...base, tenantId: 't1\nadmin' } as RequestContext;
    expect(() => runWithContext(base, () => enterContext(tampered))).toThrow(
      expect.objectContaining({ status: 401 }),
    );
    expect(() =>
      runWithContext(base, () => enterContext(null as unknown as RequestContext)),
    ).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });
});
