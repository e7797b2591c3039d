import {
  bindContext,
  type RequestContext,
  runCli,
  runJob,
  runWithContext,
  withContext,
} from '@plinth/context';
import { describe, expectTypeOf, it } from 'vitest';

describe('public types', () => {
  it('returns what the wrapped function returns', () => {
    expectTypeOf(runWithContext({} as RequestContext, () => 42)).toEqualTypeOf<number>();
    expectTypeOf(withContext({}, async () => 'x')).toEqualTypeOf<Promise<string>>();
    expectTypeOf(runJob('j', (ctx) => ctx.source)).toEqualTypeOf<RequestContext['source']>();
    expectTypeOf(runCli('c', async () => 1)).toEqualTypeOf<Promise<number>>();
  });

  it('keeps the signature of a bound function', () => {
    const bound = bindContext((a: string, b: number) => a.length + b);
    expectTypeOf(bound).toEqualTypeOf<(a: string, b: number) => number>();
  });

  it('exposes a read-only context', () => {
    expectTypeOf<RequestContext['principal']>().toEqualTypeOf<
      import('@plinth/context').Principal | undefined
    >();
  });
});
