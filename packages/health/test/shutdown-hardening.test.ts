import {
  createHealth,
  createHealthHandler,
  createShutdown,
  type LoggerLike,
  type Shutdown,
} from '@plinth/health';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { optionsError } from './helpers/options-error.js';

const cleanups: Shutdown[] = [];
afterEach(() => {
  for (const s of cleanups.splice(0)) s.dispose();
});

function throwingLogger() {
  const calls: string[] = [];
  const at = (level: string) => (_obj: object, msg?: string) => {
    calls.push(`${level}:${msg}`);
    throw new Error('log transport closed');
  };
  const logger: LoggerLike = { info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, calls };
}

const BAD_TIMEOUTS: unknown[] = [Number.NaN, -1, 0, Number.POSITIVE_INFINITY, '100', null, 2 ** 31];

describe('createShutdown with a logger that throws', () => {
  it('still runs every hook and exits 0 when they all succeed', async () => {
    const { logger, calls } = throwingLogger();
    const ran: string[] = [];
    const exit = vi.fn();
    const shutdown = createShutdown({
      drainDelayMs: 0,
      signals: [],
      logger,
      exit,
      hooks: [
        { name: 'a', run: () => ran.push('a') },
        { name: 'b', run: () => ran.push('b') },
      ],
    });
    cleanups.push(shutdown);
    const result = await shutdown.shutdown();
    expect(ran).toEqual(['a', 'b']);
    expect(result).toMatchObject({ ok: true, failedHooks: [], forced: false });
    expect(exit).toHaveBeenCalledExactlyOnceWith(0);
    expect(calls).toContain('info:shutdown complete');
  });

  it('still runs the later hooks and exits 1 when a hook fails', async () => {
    const { logger, calls } = throwingLogger();
    const ran: string[] = [];
    const exit = vi.fn();
    const shutdown = createShutdown({
      drainDelayMs: 0,
      signals: [],
      logger,
      exit,
      hooks: [
        {
          name: 'broken',
          run: () => {
            throw new Error('nope');
          },
        },
        { name: 'after', run: () => ran.push('after') },
      ],
    });
    cleanups.push(shutdown);
    const result = await shutdown.shutdown();
    expect(ran).toEqual(['after']);
    expect(result).toMatchObject({ ok: false, failedHooks: ['broken'] });
    expect(exit).toHaveBeenCalledExactlyOnceWith(1);
    expect(calls).toContain('error:shutdown hook failed');
  });

  it('still forces exit on a second signal', async () => {
    const { logger } = throwingLogger();
    const exit = vi.fn();
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const shutdown = createShutdown({
      drainDelayMs: 0,
      signals: ['SIGUSR2'],
      logger,
      exit,
      hooks: [{ name: 'slow', run: () => gate }],
    });
    cleanups.push(shutdown);
    const done = shutdown.shutdown('SIGUSR2');
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(exit).toHaveBeenCalledExactlyOnceWith(1);
    release();
    await done;
  });

  it('refuses a logger without info, warn and error methods', () => {
    for (const logger of [{}, { info() {}, warn() {} }, 'console']) {
      const err = optionsError(() =>
        createShutdown({ signals: [], exit: false, logger: logger as never }),
      );
      expect(err.issues.map((e) => e.path)).toEqual(['logger']);
    }
  });
});

describe('shutdown hook timeoutMs validation', () => {
  it('addHook refuses a timeoutMs that is NaN, negative, zero, infinite, too large or not a number', () => {
    const shutdown = createShutdown({ signals: [], exit: false });
    cleanups.push(shutdown);
    for (const timeoutMs of BAD_TIMEOUTS) {
      const err = optionsError(() =>
        shutdown.addHook({ name: 'db', run: () => {}, timeoutMs: timeoutMs as number }),
      );
      expect(err.message).toMatch(/^addHook: hook\.timeoutMs must be a number of ms from 1 to/);
      expect(err.issues[0]?.path).toBe('hook.timeoutMs');
    }
  });

  it('addHook accepts a valid timeoutMs and a hook without one', () => {
    const shutdown = createShutdown({ signals: [], exit: false });
    cleanups.push(shutdown);
    expect(() => shutdown.addHook({ name: 'db', run: () => {}, timeoutMs: 250 })).not.toThrow();
    expect(() => shutdown.addHook({ name: 'cache', run: () => {} })).not.toThrow();
  });

  it('addHook refuses something that is not a hook', () => {
    const shutdown = createShutdown({ signals: [], exit: false });
    cleanups.push(shutdown);
    const err = optionsError(() => shutdown.addHook({ name: 'x' } as never));
    expect(err.issues.map((e) => e.path)).toEqual(['hook']);
  });

  it('createShutdown reports a bad hook timeoutMs with its path', () => {
    for (const timeoutMs of BAD_TIMEOUTS) {
      const err = optionsError(() =>
        createShutdown({
          signals: [],
          exit: false,
          hooks: [() => {}, { name: 'db', run: () => {}, timeoutMs: timeoutMs as number }],
        }),
      );
      expect(err.issues.map((e) => e.path)).toEqual(['hooks.1.timeoutMs']);
    }
  });

  it('createShutdown refuses bad durations with a clear message', () => {
    for (const value of BAD_TIMEOUTS.filter((v) => v !== null && v !== 0)) {
      const err = optionsError(() =>
        createShutdown({
          signals: [],
          exit: false,
          timeoutMs: value as number,
          hookTimeoutMs: value as number,
          drainDelayMs: value as number,
        }),
      );
      expect(err.issues.map((e) => e.path).sort()).toEqual([
        'drainDelayMs',
        'hookTimeoutMs',
        'timeoutMs',
      ]);
      expect(err.issues[0]?.message).toMatch(/number of ms from \d+ to 2147483647/);
    }
  });
});

describe('createShutdown health option', () => {
  it('refuses a health without beginShutdown at creation, naming the path', () => {
    for (const health of [{}, 'health', 5, null]) {
      const err = optionsError(() =>
        createShutdown({ signals: [], exit: false, health: health as never }),
      );
      expect(err.issues.map((e) => e.path)).toEqual(['health']);
      expect(err.message).toMatch(/health must have a beginShutdown method/);
    }
  });

  it('accepts the object createHealth returns and fails readiness when shutdown begins', async () => {
    const health = createHealth();
    const s = createShutdown({ signals: [], exit: false, drainDelayMs: 0, health });
    cleanups.push(s);
    await expect(s.shutdown()).resolves.toMatchObject({ ok: true });
    expect(health.shuttingDown).toBe(true);
  });

  it('still closes and runs hooks, without throwing, when beginShutdown throws', async () => {
    const errors: string[] = [];
    const logger: LoggerLike = {
      info() {},
      warn() {},
      error: (_obj, msg) => errors.push(String(msg)),
    };
    const hook = vi.fn(async () => {});
    const health = {
      beginShutdown() {
        throw new Error('boom');
      },
    };
    const s = createShutdown({
      signals: [],
      exit: false,
      drainDelayMs: 0,
      logger,
      health,
      hooks: [hook],
    });
    cleanups.push(s);
    await expect(s.shutdown()).resolves.toMatchObject({ failedHooks: [] });
    expect(hook).toHaveBeenCalledOnce();
    expect(errors).toContain('health.beginShutdown threw; readiness may not be failing');
  });

  it('refuses null options, and servers, hooks or signals that are not arrays', () => {
    for (const options of [null, 'SIGTERM', [], () => ({})]) {
      const err = optionsError(() => createShutdown(options as never));
      expect(err.issues).toEqual([
        { path: 'options', message: 'must be an object', code: 'invalid_option' },
      ]);
      expect(err.message).toBe('createShutdown: options must be an object');
    }
    for (const key of ['servers', 'hooks', 'signals']) {
      const err = optionsError(() =>
        createShutdown({ signals: [], exit: false, [key]: {} } as never),
      );
      expect(err.issues.map((e) => e.path)).toEqual([key]);
    }
  });
});

describe('createHealth option validation', () => {
  it('refuses null options and null check sets with INVALID_OPTIONS, not a TypeError', () => {
    for (const options of [null, 5, [], () => ({})]) {
      const refused = optionsError(() => createHealth(options as never));
      expect(refused.issues).toEqual([
        { path: 'options', message: 'must be an object', code: 'invalid_option' },
      ]);
      expect(refused.message).toBe('createHealth: options must be an object');
    }
    const health = createHealth();
    for (const options of [null, 'x', []]) {
      const refused = optionsError(() => createHealthHandler(health, options as never));
      expect(refused.issues).toEqual([
        { path: 'options', message: 'must be an object', code: 'invalid_option' },
      ]);
      expect(refused.message).toBe('createHealthHandler: options must be an object');
    }
    const err = optionsError(() => createHealth({ checks: null as never, liveChecks: 5 as never }));
    expect(err.issues.map((e) => e.path)).toEqual(['checks', 'liveChecks']);
  });

  it('refuses NaN, negative, infinite and non-number timeouts and cache durations', () => {
    for (const value of [Number.NaN, -5, Number.POSITIVE_INFINITY, '100']) {
      const err = optionsError(() =>
        createHealth({
          timeoutMs: value as number,
          cacheMs: value as number,
          checks: { db: { check: async () => true, timeoutMs: value as number } },
        }),
      );
      expect(err.issues.map((e) => e.path).sort()).toEqual([
        'cacheMs',
        'checks.db.timeoutMs',
        'timeoutMs',
      ]);
    }
  });
});

// Issue 13.14: SIGKILL used to throw a raw EINVAL and leave the SIGTERM listener installed.
describe('createShutdown signals', () => {
  it('refuses signals a process cannot catch, or that do not exist, before installing anything', () => {
    const before = process.listenerCount('SIGTERM');
    for (const signals of [['SIGTERM', 'SIGKILL'], ['SIGSTOP'], ['SIGFOO']]) {
      const err = optionsError(() => createShutdown({ exit: false, signals: signals as never }));
      expect(err.issues.map((e) => e.path)).toEqual(['signals']);
    }
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });

  it('removes the handlers it installed when installing a later one fails', () => {
    const before = process.listenerCount('SIGUSR1');
    const on = process.on.bind(process);
    const spy = vi.spyOn(process, 'on').mockImplementation(((event: string, fn: () => void) => {
      if (event === 'SIGUSR2')
        throw Object.assign(new Error('uv_signal_start EINVAL'), { code: 'EINVAL' });
      return on(event, fn);
    }) as typeof process.on);
    try {
      const err = optionsError(() =>
        createShutdown({ exit: false, signals: ['SIGUSR1', 'SIGUSR2'] }),
      );
      expect(err.issues.map((e) => e.path)).toEqual(['signals']);
    } finally {
      spy.mockRestore();
    }
    expect(process.listenerCount('SIGUSR1')).toBe(before);
  });
});
