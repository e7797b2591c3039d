import {
  bytes,
  checkEnvExample,
  duration,
  fileProvider,
  int,
  loadConfig,
  num,
  perEnv,
  port,
  refuseInProduction,
  secret,
  url,
} from '@plinth/config';
import { isAppError, type OptionsError } from '@plinth/errors';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configError } from './helpers.js';

/** Runs `fn`, expects the 500 INVALID_OPTIONS error for a developer's mistake, and returns it. */
async function optionsError(fn: () => unknown): Promise<OptionsError> {
  try {
    await fn();
  } catch (err) {
    expect(isAppError(err)).toBe(true);
    expect(err).toMatchObject({ status: 500, code: 'INVALID_OPTIONS', expose: false });
    return err as OptionsError;
  }
  throw new Error('expected invalid options to throw');
}
const paths = async (fn: () => unknown) => (await optionsError(fn)).issues.map((i) => i.path);

describe('loadConfig options', () => {
  it('refuses missing or null options with INVALID_OPTIONS, not a TypeError', async () => {
    await optionsError(() => (loadConfig as (o?: unknown) => Promise<unknown>)());
    await optionsError(() => loadConfig(null as never));
  });

  it('refuses providers that are not an array', async () => {
    const schema = z.object({ A: z.string().optional() });
    expect(await paths(() => loadConfig({ schema, files: false, providers: {} as never }))).toEqual(
      ['providers'],
    );
  });
});

describe('schema builders refuse nonsense at the call, not at load', () => {
  it('secret() refuses an inner value that is not a zod schema', async () => {
    expect(await paths(() => secret(5 as never))).toEqual(['inner']);
  });

  it('url() refuses protocols that are not an array of scheme names', async () => {
    expect(await paths(() => url({ protocols: 'redis' as never }))).toEqual(['protocols']);
    expect(await paths(() => url({ protocols: [] }))).toEqual(['protocols']);
    expect(await paths(() => url({ protocols: ['redis', 5 as never] }))).toEqual(['protocols']);
    expect(url({ protocols: ['redis', 'rediss:'] }).parse('rediss://h:6379')).toBe(
      'rediss://h:6379',
    );
  });

  it('int() and num() refuse a min above max and non-finite bounds', async () => {
    expect(await paths(() => int({ min: 5, max: 1 }))).toEqual(['min']);
    expect(await paths(() => num({ min: 1, max: 0.5 }))).toEqual(['min']);
    expect(await paths(() => int({ max: Number.NaN }))).toEqual(['max']);
    expect(await paths(() => int({ min: '1' as never }))).toEqual(['min']);
    expect(await paths(() => int(null as never))).toEqual(['options']);
    expect(await paths(() => port(null as never))).toEqual(['options']);
    expect(int({ min: 1, max: 1 }).parse('1')).toBe(1);
  });

  it('perEnv() refuses an unknown environment name, naming it and the valid ones', async () => {
    const err = await optionsError(() => perEnv(z.string(), { prod: 'x' } as never));
    expect(err.issues.map((i) => i.path)).toEqual(['defaults']);
    expect(err.message).toContain('"prod"');
    expect(err.message).toContain('development, test, staging, production');
    expect(await paths(() => perEnv(z.string(), null as never))).toEqual(['defaults']);
    expect(await paths(() => perEnv('x' as never, {}))).toEqual(['schema']);
  });

  it('checkEnvExample() refuses text that is not a string', async () => {
    const schema = z.object({ A: z.string() });
    expect(await paths(() => checkEnvExample(schema, 5 as never))).toEqual(['text']);
  });

  it('fileProvider() refuses null options and wrong-typed fields', async () => {
    expect(await paths(() => fileProvider(null as never))).toEqual(['options']);
    expect(await paths(() => fileProvider({ directory: 5 as never }))).toEqual(['directory']);
    expect(await paths(() => fileProvider({ fileName: 'x' as never }))).toEqual(['fileName']);
    expect(await paths(() => fileProvider({ include: true as never }))).toEqual(['include']);
  });
});

describe('the README refuseInProduction example', () => {
  it('reports the development key with the message the README shows', async () => {
    const DEV_KEY = Buffer.alloc(32, 7);
    const DEV_KEY_BASE64 = DEV_KEY.toString('base64');
    const keyBytes = z.string().transform((text) => Buffer.from(text.trim(), 'base64'));
    const BLIND_INDEX_KEY = refuseInProduction(
      perEnv(secret(keyBytes), { development: DEV_KEY_BASE64 }),
      (key) => key.reveal().equals(DEV_KEY),
      'holds the development key',
    );
    const err = await configError(
      loadConfig({
        schema: z.object({ BLIND_INDEX_KEY }),
        files: false,
        env: { NODE_ENV: 'production', BLIND_INDEX_KEY: DEV_KEY_BASE64 },
      }),
    );
    expect(err.issues.map((i) => `${i.key}: ${i.reason}`)).toEqual([
      'BLIND_INDEX_KEY: is set to its development default, which is refused in production',
    ]);
  });
});

describe('a non-object options argument', () => {
  it.each([
    ['loadConfig', () => loadConfig(null as never), 'a schema ({ schema: z.object(...) })'],
    [
      'loadConfig',
      () => (loadConfig as (o?: unknown) => Promise<unknown>)(),
      'a schema ({ schema: z.object(...) })',
    ],
    ['int', () => int([] as never), 'optional min and max'],
    ['num', () => num('5' as never), 'optional min and max'],
    ['port', () => port(null as never), 'optional allowZero'],
    ['duration', () => duration(null as never), 'optional min and max'],
    ['bytes', () => bytes([] as never), 'optional min and max'],
    ['url', () => url((() => ({})) as never), 'optional protocols'],
    ['fileProvider', () => fileProvider(null as never), 'optional directory, fileName and include'],
  ])(
    '%s reports path options and the message must be an object with …',
    async (name, call, holds) => {
      const err = await optionsError(call);
      expect(err.issues).toEqual([
        { path: 'options', message: `must be an object with ${holds}`, code: 'invalid_option' },
      ]);
      expect(err.message).toBe(`${name}: options must be an object with ${holds}`);
    },
  );

  it('is not reported when the options are left out (they default)', () => {
    expect(int().parse('3')).toBe(3);
    expect(port().parse('80')).toBe(80);
    expect(duration().parse('2s')).toBe(2000);
    expect(bytes().parse('1kb')).toBe(1024);
    expect(url().parse('https://h')).toBe('https://h');
    expect(fileProvider().name).toBe('files');
  });
});
