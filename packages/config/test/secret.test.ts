import { Writable } from 'node:stream';
import { format, inspect } from 'node:util';
import { ConfigError, isSecret, json, loadConfig, Secret, secret } from '@plinth/config';
import { sanitize } from '@plinth/errors';
import fc from 'fast-check';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

function captureLogs() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  return { lines, stream };
}

describe('Secret', () => {
  const value = 'correct-horse-battery-staple';
  const wrapped = new Secret(value);

  it('reveals the wrapped value', () => {
    expect(wrapped.reveal()).toBe(value);
  });

  it('prints [redacted] through String, template literals, concatenation and JSON', () => {
    expect(String(wrapped)).toBe('[redacted]');
    expect(`${wrapped}`).toBe('[redacted]');
    expect(`x${wrapped}`).toBe('x[redacted]');
    expect(JSON.stringify({ wrapped })).toBe('{"wrapped":"[redacted]"}');
  });

  it('prints [redacted] through util.inspect and util.format (console.log)', () => {
    expect(inspect(wrapped)).toBe('[redacted]');
    expect(inspect({ deep: { wrapped } }, { depth: 10, showHidden: true })).not.toContain(value);
    expect(format('%s %o %O %j', wrapped, wrapped, wrapped, wrapped)).not.toContain(value);
  });

  it('carries the Symbol.for("plinth.secret.v1") brand on its prototype', () => {
    expect((wrapped as unknown as Record<symbol, unknown>)[Symbol.for('plinth.secret.v1')]).toBe(
      true,
    );
    expect(Object.keys(wrapped)).toEqual([]);
    expect(isSecret(wrapped)).toBe(true);
    expect(isSecret({ reveal: () => value })).toBe(false);
    expect(isSecret(null)).toBe(false);
  });

  it('is frozen, and so is an object value it wraps', () => {
    const wrappedObject = new Secret({ user: 'u', password: 'p' });
    expect(Object.isFrozen(wrapped)).toBe(true);
    expect(Object.isFrozen(wrappedObject.reveal())).toBe(true);
  });
});

describe('secret()', () => {
  it('wraps the validated value and keeps the inner type', async () => {
    const schema = z.object({ TOKEN: secret(), PIN: secret(z.coerce.number().int()) });
    const config = await loadConfig({ schema, env: { TOKEN: 'abc', PIN: '1234' }, files: false });
    expect(config.TOKEN.reveal()).toBe('abc');
    expect(config.PIN.reveal()).toBe(1234);
  });

  it('rejects an empty secret by default', async () => {
    const schema = z.object({ TOKEN: secret() });
    await expect(
      loadConfig({ schema, env: { TOKEN: '' }, files: false, emptyAsUnset: false }),
    ).rejects.toThrow(/TOKEN: must be at least 1 characters/);
  });
});

// Secrets of ≥ 8 characters with a marker that cannot occur in any other text.
const secretValue = fc
  .string({ minLength: 8, maxLength: 64, unit: 'grapheme' })
  .filter((s) => s.trim() === s && !s.includes('\n') && s.trim() !== '')
  .map((s) => `ZQX${s}QXZ`);

describe('a secret never leaks', () => {
  it('is absent from JSON.stringify, util.inspect, console.log, sanitize and a pino line', async () => {
    await fc.assert(
      fc.asyncProperty(secretValue, async (value) => {
        const schema = z.object({ API_TOKEN: secret(), NAME: z.string() });
        const config = await loadConfig({
          schema,
          env: { API_TOKEN: value, NAME: 'svc' },
          files: false,
        });
        expect(config.API_TOKEN.reveal()).toBe(value);
        expect(JSON.stringify(config)).not.toContain(value);
        expect(inspect(config, { depth: 10, showHidden: true })).not.toContain(value);
        expect(format('%s %o %O', config, config, config)).not.toContain(value);
        expect(sanitize(config)).toMatchObject({ API_TOKEN: '[redacted]', NAME: 'svc' });

        // The @plinth/logging side is tested in packages/logging (config-secret.test.ts).
        const raw = captureLogs();
        pino(raw.stream).info({ config, token: config.API_TOKEN }, 'loaded');
        expect(raw.lines).toHaveLength(1);
        for (const line of raw.lines) {
          expect(line).not.toContain(value);
          expect(line).toContain('[redacted]');
        }
      }),
      { numRuns: 60 },
    );
  });

  it('is absent from the ConfigError message, issues and JSON when the secret is invalid', async () => {
    await fc.assert(
      fc.asyncProperty(secretValue, async (value) => {
        const schema = z.object({
          API_TOKEN: secret(z.string().min(500).regex(/^\d+$/)),
          KEYS: secret(
            z.string().refine((s) => s === 'x', { message: `bad ${value.slice(0, 6)}` }),
          ),
          PORT: z.coerce.number().int(),
        });
        const error = await loadConfig({
          schema,
          env: { API_TOKEN: value, KEYS: value, PORT: 'nope' },
          files: false,
        }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ConfigError);
        const text = [
          (error as ConfigError).message,
          JSON.stringify(error),
          JSON.stringify((error as ConfigError).issues),
          inspect(error, { depth: 10 }),
        ].join('\n');
        // Not the value, and not the 6-character prefix a custom message tried to leak.
        expect(text).not.toContain(value);
        expect(text).not.toContain(value.slice(0, 6));
        expect((error as ConfigError).issues.map((i) => i.key)).toEqual([
          'API_TOKEN',
          'API_TOKEN',
          'KEYS',
          'PORT',
        ]);
      }),
      { numRuns: 60 },
    );
  });
});

describe('ConfigError shows nothing derived from a secret JSON value, keys included', () => {
  const LIVE = 'ak_live_4f9c2e7d1b';
  const UNKNOWN = 'pk_51Hxq9TzRk';
  const everything = (error: ConfigError) =>
    [
      error.message,
      JSON.stringify(error),
      JSON.stringify(error.issues),
      inspect(error, { depth: 10 }),
    ].join('\n');
  const load = (schema: z.core.$ZodObject, env: Record<string, string>) =>
    loadConfig({ schema, env, files: false }).then(
      () => {
        throw new Error('expected a ConfigError');
      },
      (e: unknown) => e as ConfigError,
    );

  it('hides a key whose value is not allowed (no API_KEYS.<key> path)', async () => {
    const schema = z.object({
      API_KEYS: secret(json(z.record(z.string(), z.enum(['read', 'write'])))),
    });
    const error = await load(schema, {
      API_KEYS: JSON.stringify({ [LIVE]: 'admin', ak_live_2: 'root' }),
    });
    expect(error.issues).toEqual([
      { key: 'API_KEYS', path: [], code: 'invalid', reason: 'is not an allowed value' },
    ]);
    expect(everything(error)).not.toContain('ak_live');
  });

  it('hides a key a record refuses', async () => {
    const schema = z.object({
      API_KEYS: secret(json(z.record(z.string().startsWith('ak_test_'), z.string()))),
    });
    const error = await load(schema, { API_KEYS: JSON.stringify({ [LIVE]: 'x' }) });
    expect(error.issues.map((i) => [i.key, i.path])).toEqual([['API_KEYS', []]]);
    expect(everything(error)).not.toContain('ak_live');
  });

  it('names no unknown key of a .strict() object', async () => {
    const schema = z.object({ STRIPE: secret(json(z.object({ mode: z.string() }).strict())) });
    const error = await load(schema, { STRIPE: JSON.stringify({ mode: 'live', [UNKNOWN]: 1 }) });
    expect(error.message).toContain('STRIPE: has unknown keys');
    expect(everything(error)).not.toContain('pk_51');
  });

  it('still names the unknown keys and paths of a value that is not secret', async () => {
    const schema = z.object({
      FLAGS: json(z.object({ a: z.object({ b: z.boolean() }) }).strict()),
    });
    const error = await load(schema, { FLAGS: '{"a":{"b":1},"extra":true}' });
    expect(error.issues.map((i) => `${[i.key, ...i.path].join('.')}: ${i.reason}`)).toEqual([
      'FLAGS: has unknown keys: extra',
      'FLAGS.a.b: must be a boolean (env values are strings: parse them with int(), num() or bool())',
    ]);
  });
});
