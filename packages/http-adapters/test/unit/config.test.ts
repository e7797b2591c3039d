import { loadConfig } from '@plinth/config';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { httpAdapterSettings, httpAdaptersFragment, trustProxy } from '../../src/config.js';

const load = (env: Record<string, string>) =>
  loadConfig({ schema: z.object({ ...httpAdaptersFragment }), env, files: false });

describe('httpAdaptersFragment', () => {
  it('turns CORS off and keeps the defaults when nothing is set', async () => {
    const config = await load({ NODE_ENV: 'test' });
    expect(httpAdapterSettings(config)).toEqual({
      bodyLimit: 1024 * 1024,
      cors: false,
      hsts: { maxAgeSeconds: 31_536_000 },
    });
  });

  it('reads origins, credentials, body limit and HSTS', async () => {
    const config = await load({
      NODE_ENV: 'production',
      CORS_ORIGINS: 'https://app.example.com, https://admin.example.com',
      CORS_CREDENTIALS: 'true',
      HTTP_BODY_LIMIT: '64kb',
      HTTP_HSTS_MAX_AGE: '0',
    });
    expect(httpAdapterSettings(config)).toEqual({
      bodyLimit: 64 * 1024,
      cors: {
        origins: ['https://app.example.com', 'https://admin.example.com'],
        credentials: true,
      },
      hsts: false,
    });
  });

  it("accepts '*' outside production", async () => {
    const config = await load({ NODE_ENV: 'development', CORS_ORIGINS: '*' });
    expect(httpAdapterSettings(config).cors).toEqual({ origins: '*', credentials: false });
  });

  it("refuses '*' in production at load time", async () => {
    await expect(load({ NODE_ENV: 'production', CORS_ORIGINS: '*' })).rejects.toMatchObject({
      issues: [expect.objectContaining({ key: 'CORS_ORIGINS' })],
    });
  });

  it('refuses an origin with a path, naming the variable but not the value', async () => {
    const err = await load({ NODE_ENV: 'test', CORS_ORIGINS: 'https://a.example/x' }).catch(
      (e) => e,
    );
    expect(err.issues[0].key).toBe('CORS_ORIGINS');
    expect(JSON.stringify(err.issues)).not.toContain('a.example/x');
  });
});

describe('HTTP server keys', () => {
  it('listens on 3000, on loopback in development and on every interface in production', async () => {
    const dev = await load({ NODE_ENV: 'development' });
    const prod = await load({ NODE_ENV: 'production' });
    expect([dev.PORT, dev.HOST, dev.HTTP_TRUST_PROXY]).toEqual([3000, '127.0.0.1', false]);
    expect([prod.PORT, prod.HOST]).toEqual([3000, '0.0.0.0']);
  });

  it('accepts port 0 (any free port)', async () => {
    expect((await load({ NODE_ENV: 'test', PORT: '0' })).PORT).toBe(0);
  });

  it.each([
    ['TRUE', true],
    ['off', false],
    [' 2 ', 2],
    ['loopback, 10.0.0.0/8', ['loopback', '10.0.0.0/8']],
  ])('parses HTTP_TRUST_PROXY=%s', async (value, expected) => {
    const config = await load({ NODE_ENV: 'test', HTTP_TRUST_PROXY: value });
    expect(config.HTTP_TRUST_PROXY).toEqual(expected);
  });

  it('freezes a trusted address list', () => {
    expect(Object.isFrozen(trustProxy().parse('10.0.0.1,10.0.0.2'))).toBe(true);
  });

  it('refuses any other HTTP_TRUST_PROXY without echoing it', async () => {
    const err = await load({ NODE_ENV: 'test', HTTP_TRUST_PROXY: '10.0.0.1; rm -rf' }).catch(
      (e) => e,
    );
    expect(err.message).toContain(
      'HTTP_TRUST_PROXY: must be true/false, a hop count, or a comma list of addresses, subnets',
    );
    expect(err.message).not.toContain('rm -rf');
  });

  it.each(['bogus', '10.0.0.0/99', '-1', 'fd00::/129', '10.0.0.1/8/8', '10.0.0.0/255.0.0', '1000'])(
    'refuses HTTP_TRUST_PROXY=%s, which Express and Fastify would throw on at startup',
    async (value) => {
      const err = await load({ NODE_ENV: 'test', HTTP_TRUST_PROXY: value }).catch((e) => e);
      expect(err.code).toBe('CONFIG_INVALID');
    },
  );

  it.each([
    ['fd00::/8, ::1', ['fd00::/8', '::1']],
    ['10.0.0.0/255.0.0.0', ['10.0.0.0/255.0.0.0']],
    ['uniquelocal,linklocal', ['uniquelocal', 'linklocal']],
  ])('accepts HTTP_TRUST_PROXY=%s as proxy-addr does', async (value, expected) => {
    const config = await load({ NODE_ENV: 'test', HTTP_TRUST_PROXY: value });
    expect(config.HTTP_TRUST_PROXY).toEqual(expected);
  });
});
