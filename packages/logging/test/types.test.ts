import { type Logger, logTiming } from '@plinth/logging';
import { describe, expectTypeOf, it } from 'vitest';
import { capture } from './helpers.js';

describe('public types', () => {
  it('createLogger returns a pino Logger', () => {
    expectTypeOf(capture().logger).toEqualTypeOf<Logger>();
  });

  it('logTiming returns what fn returns, sync or async', () => {
    const { logger } = capture();
    expectTypeOf(logTiming(logger, 'a', () => 1)).toEqualTypeOf<number>();
    expectTypeOf(logTiming(logger, 'b', async () => 'x')).toEqualTypeOf<Promise<string>>();
  });
});
