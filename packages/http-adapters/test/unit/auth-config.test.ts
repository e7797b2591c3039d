import { loadConfig } from '@plinth/config';
import { createRequestContext } from '@plinth/context';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { authFragment, jwtAuthSettings } from '../../src/config.js';
import { createJwtAuth, type HandlerRequest } from '../../src/index.js';
import { AUDIENCE, STAFF_ISS, STAFF_SECRET, staffToken } from '../support/tokens.js';

const load = (env: Record<string, string>) =>
  loadConfig({ schema: z.object({ ...authFragment }), env, files: false });

const request = (token: string): HandlerRequest =>
  ({
    method: 'GET',
    url: '/x',
    route: '/x',
    params: {},
    query: {},
    headers: { authorization: `Bearer ${token}` },
    body: undefined,
    context: createRequestContext(),
    policy: {},
  }) as HandlerRequest;

describe('authFragment', () => {
  it('has development and test issuer/audience defaults and a 30s skew', async () => {
    const config = await load({ NODE_ENV: 'test' });
    expect([config.AUTH_ISSUER, config.AUTH_AUDIENCE, config.AUTH_CLOCK_SKEW]).toEqual([
      'plinth-test',
      'plinth-test',
      30_000,
    ]);
  });

  it('requires issuer and audience in production', async () => {
    const err = await load({
      NODE_ENV: 'production',
      AUTH_JWKS_URL: 'https://id.example/jwks',
    }).catch((e) => e);
    expect(err.issues.map((i: { key: string }) => i.key).sort()).toEqual([
      'AUTH_AUDIENCE',
      'AUTH_ISSUER',
    ]);
  });

  it('counts the secret in bytes, as createJwtAuth does, without echoing it', async () => {
    // 16 two-byte characters: 32 bytes, accepted; 31 ASCII characters: refused.
    const wide = 'é'.repeat(16);
    expect(
      (await load({ NODE_ENV: 'test', AUTH_JWT_SECRET: wide })).AUTH_JWT_SECRET?.reveal(),
    ).toBe(wide);
    const err = await load({ NODE_ENV: 'test', AUTH_JWT_SECRET: 'k'.repeat(31) }).catch((e) => e);
    expect(err.message).toContain('AUTH_JWT_SECRET: must be at least 32 bytes');
    expect(err.message).not.toContain('k'.repeat(31));
  });

  it.each([
    ['2m', 'at most'],
    ['1500ms', 'whole seconds'],
  ])('refuses AUTH_CLOCK_SKEW=%s that createJwtAuth would refuse', async (value, words) => {
    const err = await load({ NODE_ENV: 'test', AUTH_CLOCK_SKEW: value }).catch((e) => e);
    expect(err.issues[0].key).toBe('AUTH_CLOCK_SKEW');
    expect(err.message).toContain(words);
  });
});

describe('jwtAuthSettings', () => {
  it('maps a secret, issuer, audience, skew and claim mapping onto createJwtAuth options', async () => {
    const config = await load({
      NODE_ENV: 'production',
      AUTH_JWT_SECRET: STAFF_SECRET,
      AUTH_ISSUER: STAFF_ISS,
      AUTH_AUDIENCE: AUDIENCE,
      AUTH_CLOCK_SKEW: '5s',
    });
    const options = jwtAuthSettings(config, { tenantScoped: false, principalType: 'staff' });
    expect(options).toEqual({
      issuers: [
        {
          tenantScoped: false,
          principalType: 'staff',
          issuer: STAFF_ISS,
          audience: AUDIENCE,
          keys: { secret: STAFF_SECRET },
        },
      ],
      clockSkewSeconds: 5,
    });
    const out = await createJwtAuth(options).preHandlers[0](request(await staffToken()));
    expect(out?.context?.principal).toMatchObject({ id: 'staff-1', type: 'staff' });
  });

  it('uses the JWKS URL when no secret is set', async () => {
    const config = await load({ NODE_ENV: 'test', AUTH_JWKS_URL: 'https://id.example/jwks' });
    expect(jwtAuthSettings(config)).toEqual({
      issuers: [
        {
          issuer: 'plinth-test',
          audience: 'plinth-test',
          keys: { jwksUri: 'https://id.example/jwks' },
        },
      ],
      clockSkewSeconds: 30,
    });
  });

  it.each([
    ['neither', {}],
    ['both', { AUTH_JWT_SECRET: STAFF_SECRET, AUTH_JWKS_URL: 'https://id.example/jwks' }],
  ])('refuses %s of AUTH_JWT_SECRET and AUTH_JWKS_URL with an OptionsError', async (_, env) => {
    const config = await load({ NODE_ENV: 'test', ...env });
    expect(() => jwtAuthSettings(config)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS', status: 500 }),
    );
  });
});
