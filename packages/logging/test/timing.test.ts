import { logTiming } from '@plinth/logging';
import { describe, expect, it } from 'vitest';
import { capture } from './helpers.js';

describe('logTiming', () => {
  it('logs duration and success for sync work and returns its value', () => {
    const { logger, last } = capture();
    const value = logTiming(logger, 'sum', () => 1 + 2);
    expect(value).toBe(3);
    const line = last();
    expect(line).toMatchObject({
      level: 'info',
      operation: 'sum',
      outcome: 'success',
      msg: 'sum succeeded',
    });
    expect(typeof line.durationMs).toBe('number');
    expect(line.durationMs as number).toBeGreaterThanOrEqual(0);
  });

  it('logs failure for sync work and rethrows the same error', () => {
    const { logger, last } = capture();
    const boom = new Error('boom');
    expect(() =>
      logTiming(logger, 'explode', () => {
        throw boom;
      }),
    ).toThrow(boom);
    expect(last()).toMatchObject({
      level: 'error',
      operation: 'explode',
      outcome: 'failure',
      err: { message: 'boom' },
      msg: 'explode failed',
    });
  });

  it('logs success for async work after it resolves', async () => {
    const { logger, raw, last } = capture();
    const pending = logTiming(logger, 'fetch', async () => {
      await new Promise((r) => setTimeout(r, 2));
      return 'done';
    });
    expect(raw).toHaveLength(0);
    await expect(pending).resolves.toBe('done');
    expect(last()).toMatchObject({ operation: 'fetch', outcome: 'success' });
  });

  it('logs failure for async work and rejects with the same error', async () => {
    const { logger, last } = capture();
    const boom = new Error('async boom');
    await expect(logTiming(logger, 'fetch', async () => Promise.reject(boom))).rejects.toBe(boom);
    expect(last()).toMatchObject({ operation: 'fetch', outcome: 'failure', level: 'error' });
  });

  it('uses the configured levels and extra fields', () => {
    const { logger, lines } = capture({ level: 'debug' });
    logTiming(logger, 'a', () => 1, { level: 'debug', fields: { batch: 7 } });
    try {
      logTiming(
        logger,
        'b',
        () => {
          throw new Error('x');
        },
        { failureLevel: 'warn' },
      );
    } catch {}
    expect(lines().map((l) => [l.level, l.batch])).toEqual([
      ['debug', 7],
      ['warn', undefined],
    ]);
  });

  it.each([
    ['a null logger', [null, 'op', () => 1], 'logger'],
    ['a missing fn', ['LOGGER', 'op', undefined], 'fn'],
    ['an empty operation', ['LOGGER', '', () => 1], 'operation'],
    ['an unknown level', ['LOGGER', 'op', () => 1, { level: 'nope' }], 'options.level'],
  ])('throws an OptionsError for %s without running fn', (_label, args, path) => {
    const { logger } = capture();
    let ran = false;
    const [target, operation, fn, options] = args as [unknown, string, unknown, unknown];
    const wrapped =
      typeof fn === 'function'
        ? () => {
            ran = true;
            return fn();
          }
        : fn;
    expect(() =>
      logTiming(
        (target === 'LOGGER' ? logger : target) as never,
        operation,
        wrapped as never,
        options as never,
      ),
    ).toThrow(
      expect.objectContaining({
        name: 'OptionsError',
        code: 'INVALID_OPTIONS',
        issues: [expect.objectContaining({ path })],
      }),
    );
    expect(ran).toBe(false);
  });
});
