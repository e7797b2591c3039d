import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bool,
  ConfigError,
  duration,
  int,
  list,
  loadConfig,
  port,
  secret,
  toEnvExample,
  url,
} from '@plinth/config';
import { ConfigError as ErrorsConfigError, isAppError, type OptionsError } from '@plinth/errors';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { tempDir } from './helpers.js';

async function failure(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ConfigError))
    throw new Error(`expected a ConfigError, got ${String(error)}`);
  return error;
}

describe('loadConfig', () => {
  it("throws @plinth/errors' ConfigError, the class every package's config parser throws", async () => {
    expect(ConfigError).toBe(ErrorsConfigError);
    const error = await failure(loadConfig({ schema: z.object({ PORT: port() }), env: {} }));
    expect(error).toBeInstanceOf(ErrorsConfigError);
  });

  it('parses env strings into a typed config', async () => {
    const schema = z.object({ PORT: port(), DEBUG: bool(), TIMEOUT: duration(), HOSTS: list() });
    const config = await loadConfig({
      schema,
      env: { PORT: '8080', DEBUG: 'off', TIMEOUT: '2s', HOSTS: 'a,b' },
      files: false,
    });
    expect(config).toEqual({ PORT: 8080, DEBUG: false, TIMEOUT: 2000, HOSTS: ['a', 'b'] });
  });

  it('reports every invalid or missing key at once, sorted, in one ConfigError', async () => {
    const schema = z.object({
      ZETA: int(),
      ALPHA: url(),
      MIDDLE: z.string(),
      OK: z.string(),
      BETA: duration(),
    });
    const error = await failure(
      loadConfig({
        schema,
        env: { ZETA: 'x', ALPHA: 'ftp://h', OK: 'fine', BETA: '5' },
        files: false,
      }),
    );
    expect(error.message).toBe(
      [
        'Invalid configuration (4 problems):',
        '  ALPHA: must be a URL with protocol http: or https:',
        '  BETA: must be a duration with a unit (e.g. 250ms, 5s, 2m, 1h)',
        '  MIDDLE: required',
        '  ZETA: must be an integer',
      ].join('\n'),
    );
    expect(error.issues.map((i) => [i.key, i.code])).toEqual([
      ['ALPHA', 'invalid'],
      ['BETA', 'invalid'],
      ['MIDDLE', 'missing'],
      ['ZETA', 'invalid'],
    ]);
  });

  it('throws an AppError with code CONFIG_INVALID, status 500, not exposed', async () => {
    const error = await failure(
      loadConfig({ schema: z.object({ A: z.string() }), env: {}, files: false }),
    );
    expect(isAppError(error)).toBe(true);
    expect([error.code, error.status, error.expose]).toEqual(['CONFIG_INVALID', 500, false]);
    expect(error.errors).toEqual([{ path: 'A', message: 'required', code: 'missing' }]);
    expect(error.toJSON().details).toEqual({ issues: error.issues });
  });

  it('does not echo a non-secret value from a zod message', async () => {
    const schema = z.object({ NAME: z.string().refine((s) => s.length > 20, { message: 'nope' }) });
    const leaky = z.object({
      NAME: z
        .string()
        .superRefine((s, ctx) => ctx.addIssue({ code: 'custom', message: `bad name ${s}` })),
    });
    const plain = await failure(
      loadConfig({ schema, env: { NAME: 'alice-personal' }, files: false }),
    );
    const echoed = await failure(
      loadConfig({ schema: leaky, env: { NAME: 'alice-personal' }, files: false }),
    );
    expect(plain.message).toContain('NAME: nope');
    expect(echoed.message).toContain('NAME: is invalid');
    expect(echoed.message).not.toContain('alice-personal');
  });

  it('reports the position of a bad item inside a list', async () => {
    const error = await failure(
      loadConfig({
        schema: z.object({ PORTS: list(port()) }),
        env: { PORTS: '80,x' },
        files: false,
      }),
    );
    expect(error.message).toContain('PORTS.1: must be a port number (1–65535)');
  });

  it('treats an empty value as unset so the default applies', async () => {
    const schema = z.object({ PORT: port().default(3000) });
    expect(await loadConfig({ schema, env: { PORT: '' }, files: false })).toEqual({ PORT: 3000 });
    await expect(
      loadConfig({ schema, env: { PORT: '' }, files: false, emptyAsUnset: false }),
    ).rejects.toThrow(/PORT: must be a port number/);
  });

  it('ignores variables the schema does not declare', async () => {
    const config = await loadConfig({
      schema: z.object({ A: z.string() }),
      env: { A: 'a', B: 'b' },
      files: false,
    });
    expect(config).toEqual({ A: 'a' });
  });

  it('reads process.env by default', async () => {
    process.env.PLINTH_CONFIG_TEST_VALUE = 'from-process';
    try {
      const config = await loadConfig({
        schema: z.object({ PLINTH_CONFIG_TEST_VALUE: z.string() }),
        files: false,
      });
      expect(config.PLINTH_CONFIG_TEST_VALUE).toBe('from-process');
    } finally {
      delete process.env.PLINTH_CONFIG_TEST_VALUE;
    }
  });

  it('reports bad options as one 500 INVALID_OPTIONS error naming each option, not a ConfigError', async () => {
    const options = { schema: z.string(), files: '.env', providers: [{ name: 'x' }], env: {} };
    const error = await loadConfig(options as never).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(ConfigError);
    expect(isAppError(error) && [error.code, error.status, error.expose]).toEqual([
      'INVALID_OPTIONS',
      500,
      false,
    ]);
    expect((error as OptionsError).issues.map((i) => i.path)).toEqual([
      'schema',
      'files',
      'providers',
    ]);
  });

  it('refuses a schema look-alike, even one whose getters throw', async () => {
    const throwing = {
      get _zod(): never {
        throw new Error('boom');
      },
    };
    for (const schema of [{ _zod: { def: { type: 'object' } } }, throwing]) {
      const error = await loadConfig({ schema, env: {} } as never).catch((e: unknown) => e);
      expect(isAppError(error) && error.code).toBe('INVALID_OPTIONS');
    }
    expect(() => toEnvExample(z.string() as never)).toThrow(/toEnvExample: schema must be/);
  });
});

describe('deep freeze', () => {
  it('returns a config where assignment throws in strict mode, at any depth', async () => {
    const schema = z.object({
      PORT: port(),
      NESTED: z.object({ list: z.array(z.number()) }).default({ list: [1] }),
    });
    const config = await loadConfig({ schema, env: { PORT: '80' }, files: false });
    expect(Object.isFrozen(config)).toBe(true);
    expect(() => {
      (config as { PORT: number }).PORT = 1;
    }).toThrow(TypeError);
    expect(() => {
      (config.NESTED.list as number[]).push(2);
    }).toThrow(TypeError);
    expect(() => {
      (config as Record<string, unknown>).EXTRA = 1;
    }).toThrow(TypeError);
  });
});

describe('NODE_ENV', () => {
  const schema = z.object({ NODE_ENV: z.enum(['development', 'test', 'staging', 'production']) });

  it('comes from env first, then defaults to development', async () => {
    expect(await loadConfig({ schema, env: {}, files: false })).toEqual({
      NODE_ENV: 'development',
    });
    expect(await loadConfig({ schema, env: { NODE_ENV: 'test' }, files: false })).toEqual({
      NODE_ENV: 'test',
    });
    expect(
      await loadConfig({ schema, env: { NODE_ENV: 'test' }, files: false, environment: 'staging' }),
    ).toEqual({
      NODE_ENV: 'staging',
    });
  });

  it('rejects an unknown environment', async () => {
    const error = await failure(
      loadConfig({ schema: z.object({}), env: { NODE_ENV: 'prod' }, files: false }),
    );
    expect(error.message).toContain(
      'NODE_ENV: must be one of: development, test, staging, production',
    );
  });

  it('refuses a .env file that sets a different NODE_ENV', async () => {
    const cwd = tempDir({ '.env': 'NODE_ENV=production\n' });
    const error = await failure(loadConfig({ schema: z.object({}), env: {}, cwd }));
    expect(error.message).toContain('NODE_ENV: is set differently in .env');
  });
});

describe('.env files', () => {
  const schema = z.object({ A: z.string(), B: z.string(), C: z.string().optional() });

  it('layers real env over .env.<NODE_ENV> over .env', async () => {
    const cwd = tempDir({ '.env': 'A=base\nB=base\nC=base\n', '.env.test': 'B=test\nC=test\n' });
    const config = await loadConfig({ schema, env: { NODE_ENV: 'test', C: 'real' }, cwd });
    expect(config).toEqual({ A: 'base', B: 'test', C: 'real' });
  });

  it('skips missing files', async () => {
    const config = await loadConfig({ schema, env: { A: 'a', B: 'b' }, cwd: tempDir() });
    expect(config).toEqual({ A: 'a', B: 'b' });
  });

  it('loads the files given, later ones winning', async () => {
    const cwd = tempDir({ 'one.env': 'A=1\nB=1\n', 'two.env': 'B=2\n' });
    expect(await loadConfig({ schema, env: {}, cwd, files: ['one.env', 'two.env'] })).toEqual({
      A: '1',
      B: '2',
    });
  });

  it('reports a malformed line by file and line number, never its content', async () => {
    const cwd = tempDir({ '.env': 'A=ok\nTHIS IS hunter2-secret\nB="unterminated hunter2\n' });
    const error = await failure(loadConfig({ schema, env: {}, cwd }));
    expect(error.message).toContain('.env: line 2: malformed line (expected KEY=value)');
    expect(error.message).toContain('.env: line 3: unterminated quoted value');
    expect(error.message).not.toContain('hunter2');
  });

  it('reports a file that exists but cannot be read', async () => {
    const cwd = tempDir();
    const error = await failure(loadConfig({ schema, env: { A: 'a', B: 'b' }, cwd, files: ['.'] }));
    expect(error.message).toContain('.: cannot read the file (EISDIR)');
  });
});

describe('_FILE', () => {
  const schema = z.object({ DB_PASSWORD: secret() });

  it('reads the file and trims the trailing newline', async () => {
    const cwd = tempDir({ pw: 's3cret value\n' });
    const config = await loadConfig({
      schema,
      env: { DB_PASSWORD_FILE: join(cwd, 'pw') },
      files: false,
    });
    expect(config.DB_PASSWORD.reveal()).toBe('s3cret value');
  });

  it('resolves a relative path against cwd and works from a .env file', async () => {
    const cwd = tempDir({ pw: 'from-file\r\n', '.env': 'DB_PASSWORD_FILE=pw\n' });
    const config = await loadConfig({ schema, env: {}, cwd });
    expect(config.DB_PASSWORD.reveal()).toBe('from-file');
  });

  it('refuses both X and X_FILE set', async () => {
    const cwd = tempDir({ pw: 'x' });
    const error = await failure(
      loadConfig({
        schema,
        env: { DB_PASSWORD: 'inline', DB_PASSWORD_FILE: join(cwd, 'pw') },
        files: false,
      }),
    );
    expect(error.message).toContain(
      'DB_PASSWORD: both DB_PASSWORD and DB_PASSWORD_FILE are set in the environment; set only one',
    );
    expect(error.issues).toHaveLength(1);
  });

  it('names the key and path of an unreadable file, not its content', async () => {
    const cwd = tempDir();
    const missing = join(cwd, 'nope');
    const error = await failure(
      loadConfig({ schema, env: { DB_PASSWORD_FILE: missing }, files: false }),
    );
    expect(error.message).toBe(
      `Invalid configuration (1 problem):\n  DB_PASSWORD: cannot read DB_PASSWORD_FILE file ${missing} (ENOENT)`,
    );
    const dir = await failure(loadConfig({ schema, env: { DB_PASSWORD_FILE: cwd }, files: false }));
    expect(dir.message).toContain(`cannot read DB_PASSWORD_FILE file ${cwd} (EISDIR)`);
  });

  it('refuses a _FILE or .env that is not a regular file or is larger than 1 MiB', async () => {
    const cwd = tempDir({ big: 'x'.repeat(1024 * 1024 + 1), ok: 'y'.repeat(1024) });
    const big = await failure(
      loadConfig({ schema, env: { DB_PASSWORD_FILE: join(cwd, 'big') }, files: false }),
    );
    expect(big.message).toContain(
      `cannot read DB_PASSWORD_FILE file ${join(cwd, 'big')} (larger than 1 MiB)`,
    );
    const device = await failure(
      loadConfig({ schema, env: { DB_PASSWORD_FILE: '/dev/zero' }, files: false }),
    );
    expect(device.message).toContain(
      'cannot read DB_PASSWORD_FILE file /dev/zero (not a regular file)',
    );
    const dotenv = await failure(
      loadConfig({ schema, env: { DB_PASSWORD: 'x' }, cwd, files: ['big', '/dev/zero'] }),
    );
    expect(dotenv.message).toContain('big: cannot read the file (larger than 1 MiB)');
    expect(dotenv.message).toContain('/dev/zero: cannot read the file (not a regular file)');
    const config = await loadConfig({
      schema,
      env: { DB_PASSWORD_FILE: join(cwd, 'ok') },
      files: false,
    });
    expect(config.DB_PASSWORD.reveal()).toHaveLength(1024);
  });

  it('reports an empty file', async () => {
    const cwd = tempDir({ pw: '\n' });
    const error = await failure(
      loadConfig({ schema, env: { DB_PASSWORD_FILE: join(cwd, 'pw') }, files: false }),
    );
    expect(error.message).toContain(
      `DB_PASSWORD: DB_PASSWORD_FILE file ${join(cwd, 'pw')} is empty`,
    );
  });

  it('lets the real environment override a _FILE set in a .env file', async () => {
    const cwd = tempDir({ '.env': 'DB_PASSWORD_FILE=missing\n' });
    const config = await loadConfig({ schema, env: { DB_PASSWORD: 'real' }, cwd });
    expect(config.DB_PASSWORD.reveal()).toBe('real');
  });

  it('works for non-secret keys too', async () => {
    const cwd = tempDir({ port: '8080\n' });
    writeFileSync(join(cwd, 'port'), '8080\n');
    const config = await loadConfig({
      schema: z.object({ PORT: port() }),
      env: { PORT_FILE: join(cwd, 'port') },
      files: false,
    });
    expect(config.PORT).toBe(8080);
  });
});
