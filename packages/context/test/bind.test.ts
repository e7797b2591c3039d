import { EventEmitter, once } from 'node:events';
import { bindContext, createRequestContext, getContext, runWithContext } from '@plinth/context';
import { describe, expect, it } from 'vitest';

describe('bindContext', () => {
  it('keeps the context for an EventEmitter listener fired from outside it', async () => {
    const emitter = new EventEmitter();
    const ctx = createRequestContext({ tenantId: 'emit' });
    const seen: Array<string | undefined> = [];
    runWithContext(ctx, () => {
      emitter.on(
        'data',
        bindContext(() => seen.push(getContext()?.tenantId)),
      );
      emitter.on('data', () => seen.push(getContext()?.tenantId));
    });
    const done = once(emitter, 'data');
    emitter.emit('data'); // emitted outside any context
    await done;
    expect(seen).toEqual(['emit', undefined]);
  });

  it('passes arguments and this through and returns the result', () => {
    const ctx = createRequestContext({ tenantId: 't' });
    const bound = runWithContext(ctx, () =>
      bindContext(function (this: { k: number }, a: number, b: number) {
        return `${this.k + a + b}:${getContext()?.tenantId}`;
      }),
    );
    expect(bound.call({ k: 1 }, 2, 3)).toBe('6:t');
  });

  it('rejects a non-function with a TypeError', () => {
    expect(() => bindContext(42 as never)).toThrow(TypeError);
  });
});
