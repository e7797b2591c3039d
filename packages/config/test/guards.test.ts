import { ConfigError, type Environment, loadConfig, perEnv, secret } from '@plinth/config';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configError } from './helpers.js';

const DEV_SECRET = 'development-only-secret-0000000000';
const schema = z.object({
  ISSUER: perEnv(z.string(), { development: 'dev-issuer', test: 'test-issuer' }),
  HOST: perEnv(z.string(), { development: '127.0.0.1', production: '0.0.0.0' }),
  SIGNING_KEY: perEnv(secret(z.string().min(16)), { development: DEV_SECRET }),
});

const load = (environment: Environment, env: Record<string, string> = {}) =>
  loadConfig({ schema, env: { NODE_ENV: environment, ...env }, files: false });

async function reasons(promise: Promise<unknown>): Promise<string[]> {
  const error = await promise.catch((e: unknown) => e);
  if (!(error instanceof ConfigError)) throw new Error('expected a ConfigError');
  return error.issues.map((i) => `${i.key}: ${i.reason}`);
}

describe('per-environment defaults', () => {
  it('applies development defaults in development', async () => {
    const config = await load('development');
    expect([config.ISSUER, config.HOST, config.SIGNING_KEY.reveal()]).toEqual([
      'dev-issuer',
      '127.0.0.1',
      DEV_SECRET,
    ]);
  });

  it('applies the test default in test, falling back to the development default', async () => {
    const config = await load('test');
    expect([config.ISSUER, config.HOST, config.SIGNING_KEY.reveal()]).toEqual([
      'test-issuer',
      '127.0.0.1',
      DEV_SECRET,
    ]);
  });

  it('lets staging fall back to the production default', async () => {
    const config = await load('staging', { ISSUER: 'iss', SIGNING_KEY: 'a-real-staging-secret' });
    expect(config.HOST).toBe('0.0.0.0');
  });

  it('prefers a set value over any default', async () => {
    const config = await load('development', { HOST: '::1' });
    expect(config.HOST).toBe('::1');
  });

  it('leaves the original schema without defaults', () => {
    const base = z.string();
    perEnv(base, { development: 'x' });
    expect(base.safeParse(undefined).success).toBe(false);
  });
});

describe('production guards', () => {
  it.each(['production', 'staging'] as const)(
    'requires keys whose defaults are development-only in %s',
    async (env) => {
      expect(await reasons(load(env))).toEqual([
        `ISSUER: required in ${env} (its default applies only in development and test)`,
        `SIGNING_KEY: required in ${env} (its default applies only in development and test)`,
      ]);
    },
  );

  it('refuses a secret equal to its development default, without printing it', async () => {
    const error = await configError(load('production', { ISSUER: 'iss', SIGNING_KEY: DEV_SECRET }));
    expect(error.message).toContain(
      'SIGNING_KEY: is set to its development default, which is refused in production',
    );
    expect(error.message).not.toContain(DEV_SECRET);
  });

  it('accepts real values in production', async () => {
    const config = await load('production', {
      ISSUER: 'iss',
      SIGNING_KEY: 'a-real-production-secret',
    });
    expect(config.SIGNING_KEY.reveal()).toBe('a-real-production-secret');
  });

  it('never lets a secret fall back to a zod default in production', async () => {
    const fallback = z.object({ TOKEN: secret(z.string().default('dev-token-value')) });
    expect(
      await reasons(
        loadConfig({ schema: fallback, env: { NODE_ENV: 'production' }, files: false }),
      ),
    ).toEqual(["TOKEN: required in production (a secret's built-in default is not used there)"]);
    const dev = await loadConfig({ schema: fallback, env: {}, files: false });
    expect(dev.TOKEN.reveal()).toBe('dev-token-value');
  });
});
