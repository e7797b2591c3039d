import {
  ConfigError,
  type Environment,
  list,
  loadConfig,
  perEnv,
  refuseInProduction,
  secret,
  toEnvExample,
} from '@plinth/config';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const DEV = 'development-only-secret-0000000000';
// 32 bytes whose base64 has padding and both '+' and '/' (so URL-safe spelling differs).
const DEV_KEY = Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 37 + 251) % 256));
const DEV_B64 = DEV_KEY.toString('base64');
const REAL_KEY = Buffer.alloc(32, 7).toString('base64');

async function refusal(
  schema: z.core.$ZodObject,
  env: Record<string, string>,
  environment: Environment = 'production',
) {
  const error = await loadConfig({ schema, env, environment, files: false }).catch(
    (e: unknown) => e,
  );
  if (!(error instanceof ConfigError)) throw new Error('expected a ConfigError');
  return error;
}

const trimmed = z.object({
  TOKEN: perEnv(secret(z.string().trim().min(16)), { development: DEV }),
});
const verbatim = z.object({ TOKEN: perEnv(secret(z.string().min(16)), { development: DEV }) });
const base64Key = z.object({
  KEY: perEnv(secret(z.string().transform((text) => Buffer.from(text.trim(), 'base64'))), {
    test: DEV_B64,
  }),
});

describe('the development-default guard compares effective values', () => {
  it.each([
    ['a leading space', ` ${DEV}`],
    ['a trailing tab', `${DEV}\t`],
    ['a newline and a space around it', `\n${DEV} `],
  ])('refuses a trimmed secret written with %s', async (_, spelling) => {
    const error = await refusal(trimmed, { TOKEN: spelling });
    expect(error.issues).toEqual([
      {
        key: 'TOKEN',
        path: [],
        code: 'production_guard',
        reason: 'is set to its development default, which is refused in production',
      },
    ]);
    expect(error.message).not.toContain(DEV);
  });

  it('refuses a secret that differs from its development default only by surrounding space, even when the schema keeps the space', async () => {
    for (const spelling of [` ${DEV}`, `${DEV}\t`]) {
      const error = await refusal(verbatim, { TOKEN: spelling }, 'staging');
      expect(error.issues.map((i) => i.code)).toEqual(['production_guard']);
    }
  });

  it.each([
    ['unpadded base64', DEV_B64.replace(/=+$/, '')],
    ['URL-safe base64', DEV_B64.replace(/\+/g, '-').replace(/\//g, '_')],
    ['padded base64 with a trailing tab', `${DEV_B64}\t`],
  ])('refuses the development key bytes written as %s', async (_, spelling) => {
    expect(spelling).not.toBe(DEV_B64);
    const error = await refusal(base64Key, { KEY: spelling });
    expect(error.issues.map((i) => `${i.key}: ${i.reason}`)).toEqual([
      'KEY: is set to its development default, which is refused in production',
    ]);
  });

  it('accepts other values in production and the development default in development', async () => {
    const prod = await loadConfig({
      schema: base64Key,
      env: { KEY: REAL_KEY },
      environment: 'production',
      files: false,
    });
    expect(prod.KEY.reveal().toString('base64')).toBe(REAL_KEY);
    const dev = await loadConfig({
      schema: trimmed,
      env: { TOKEN: ` ${DEV}` },
      environment: 'development',
      files: false,
    });
    expect(dev.TOKEN.reveal()).toBe(DEV);
  });
});

describe('the development-default guard and opaque values', () => {
  class Opaque {
    readonly #text: string;
    constructor(text: string) {
      this.#text = text;
    }
    text() {
      return this.#text;
    }
  }

  it('does not refuse a real value whose parsed form hides its state (two instances look equal)', async () => {
    const schema = z.object({
      KEY: perEnv(secret(z.string().transform((text) => new Opaque(text))), { development: DEV }),
    });
    const config = await loadConfig({
      schema,
      env: { KEY: 'a-real-production-secret' },
      environment: 'production',
      files: false,
    });
    expect(config.KEY.reveal().text()).toBe('a-real-production-secret');
    const error = await refusal(schema, { KEY: `${DEV} ` });
    expect(error.issues.map((i) => i.code)).toEqual(['production_guard']);
  });
});

/** A keyring like `id:<base64 key>,…`, parsed to key bytes. */
const keyring = secret(
  list(
    z.string().transform((entry) => {
      const [id = '', key = ''] = entry.split(':');
      return { id, key: Buffer.from(key, 'base64') };
    }),
  ),
);
const holdsDevKey = (ring: { reveal(): readonly { key: Buffer }[] }) =>
  ring.reveal().some((entry) => entry.key.equals(DEV_KEY));
const guarded = z.object({
  KEYRING: refuseInProduction(
    perEnv(keyring, { development: `dev:${DEV_B64}` }),
    holdsDevKey,
    'holds development key material',
  )
    .optional()
    .describe('Keyring.'),
});

describe('refuseInProduction', () => {
  it.each([
    ['under another key id', `prod:${DEV_B64}`],
    ['unpadded, after a real key', `k2:${REAL_KEY},old:${DEV_B64.replace(/=+$/, '')}`],
  ])('refuses development key material %s, naming the rule and not the value', async (_, value) => {
    const error = await refusal(guarded, { KEYRING: value });
    expect(error.message).toContain(
      'KEYRING: holds development key material, which is refused in production',
    );
    expect(error.message).not.toContain(DEV_B64.slice(0, 8));
  });

  it('passes the guard the parsed value and lets real keys through', async () => {
    const config = await loadConfig({
      schema: guarded,
      env: { KEYRING: `k2:${REAL_KEY}` },
      environment: 'production',
      files: false,
    });
    expect(config.KEYRING?.reveal().map((k) => k.id)).toEqual(['k2']);
  });

  it('does not check in development or test, nor an unset optional key', async () => {
    for (const environment of ['development', 'test'] as const) {
      const env = { KEYRING: `prod:${DEV_B64}` };
      const config = await loadConfig({ schema: guarded, env, environment, files: false });
      expect(config.KEYRING?.reveal()).toHaveLength(1);
    }
    const never = () => {
      throw new Error('called');
    };
    const optional = z.object({ X: refuseInProduction(z.string(), never).optional() });
    expect(
      await loadConfig({ schema: optional, env: {}, environment: 'production', files: false }),
    ).toEqual({});
  });

  it('awaits an async guard', async () => {
    const schema = z.object({ X: refuseInProduction(z.string(), async (s) => s === 'dev') });
    const error = await refusal(schema, { X: 'dev' });
    expect(error.issues.map((i) => i.key)).toEqual(['X']);
    const ok = await loadConfig({
      schema,
      env: { X: 'prod' },
      environment: 'production',
      files: false,
    });
    expect(ok.X).toBe('prod');
  });

  it('refuses when the guard throws, with a default reason', async () => {
    const schema = z.object({
      X: refuseInProduction(z.string(), () => {
        throw new Error('cannot decide');
      }),
    });
    const error = await refusal(schema, { X: 'value' });
    expect(error.message).toContain('X: holds a development value, which is refused in production');
    expect(error.message).not.toContain('cannot decide');
  });

  it('stacks guards and runs a guard inside secret() on the inner value', async () => {
    const schema = z.object({
      TOKEN: refuseInProduction(
        secret(refuseInProduction(z.string(), (s) => s.startsWith('dev-'), 'uses the dev- prefix')),
        (s) => s.reveal().endsWith('-local'),
        'is a local token',
      ),
    });
    const first = await refusal(schema, { TOKEN: 'dev-abc' });
    expect(first.issues.map((i) => i.reason)).toEqual([
      'uses the dev- prefix, which is refused in production',
    ]);
    const second = await refusal(schema, { TOKEN: 'abc-local' }, 'staging');
    expect(second.issues.map((i) => i.reason)).toEqual([
      'is a local token, which is refused in staging',
    ]);
    const both = refuseInProduction(
      refuseInProduction(z.string(), (s) => s === 'a', 'is a'),
      (s) => s === 'b',
      'is b',
    );
    const third = await refusal(z.object({ V: both }), { V: 'a' });
    expect(third.issues.map((i) => i.reason)).toEqual(['is a, which is refused in production']);
  });

  it('reports the refusal with every other problem at once', async () => {
    const schema = z.object({ ...guarded.shape, PORT: z.string().regex(/^\d+$/) });
    const error = await refusal(schema, { KEYRING: `prod:${DEV_B64}`, PORT: 'x' });
    expect(error.issues.map((i) => `${i.key}:${i.code}`)).toEqual([
      'KEYRING:production_guard',
      'PORT:invalid',
    ]);
  });

  it('keeps description, secret marking and defaults for toEnvExample', () => {
    expect(toEnvExample(guarded)).toContain(
      '# Keyring.\n# (secret; list separated by ","; built-in default in development only)\nKEYRING=\n',
    );
  });
});
