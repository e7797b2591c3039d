import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequestContext } from '@plinth/context';
import { isAppError } from '@plinth/errors';
import { exportJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createJwtAuth,
  type HandlerRequest,
  type JwtAuthOptions,
  type JwtIssuerOptions,
} from '../../src/index.js';
import { AUDIENCE, clientClaims, REMOTE_ISS, rsa } from '../support/tokens.js';

const request = (token: string | undefined, policy = {}): HandlerRequest =>
  ({
    method: 'GET',
    url: '/x',
    route: '/x',
    params: {},
    query: {},
    headers: token ? { authorization: `Bearer ${token}` } : {},
    body: undefined,
    context: createRequestContext(),
    policy,
  }) as HandlerRequest;

async function refusal(
  p: Promise<unknown> | unknown,
): Promise<{ status: number; code: string; reason: unknown }> {
  try {
    await p;
  } catch (err) {
    if (isAppError(err)) return { status: err.status, code: err.code, reason: err.context?.reason };
    throw err;
  }
  throw new Error('expected a refusal');
}

const optionsError = (o: JwtAuthOptions) => {
  try {
    createJwtAuth(o);
  } catch (err) {
    return (err as { code?: string; issues?: { path: string }[] }).issues?.[0]?.path;
  }
  return undefined;
};

describe('JWT auth options', () => {
  const issuer = { issuer: 'i', audience: 'a' };
  it('refuses an HS256 secret shorter than 32 bytes', () => {
    expect(optionsError({ issuers: [{ ...issuer, keys: { secret: 'short' } }] })).toBe(
      'issuers.0.keys.secret',
    );
  });
  it('refuses RS256 for a secret (the allow-list is bound to the key type)', () => {
    expect(
      optionsError({
        issuers: [{ ...issuer, algorithms: ['RS256'], keys: { secret: 'x'.repeat(32) } }],
      }),
    ).toBe('issuers.0.keys.algorithms');
  });
  it('refuses HS256 for public keys', () => {
    const pem = rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    expect(
      optionsError({
        issuers: [{ ...issuer, algorithms: ['HS256'], keys: { publicKeys: [{ key: pem }] } }],
      }),
    ).toBe('issuers.0.keys.algorithms');
  });
  it('refuses HS256 for a remote key set', () => {
    expect(
      optionsError({
        issuers: [
          { ...issuer, algorithms: ['HS256'], keys: { jwksUri: 'https://x.example/jwks' } },
        ],
      }),
    ).toBe('issuers.0.keys.algorithms');
  });
  it('refuses a symmetric JWK as a public key', () => {
    expect(
      optionsError({
        issuers: [{ ...issuer, keys: { publicKeys: [{ key: { kty: 'oct', k: 'AAAA' } }] } }],
      }),
    ).toBe('issuers.0.keys.publicKeys.0');
  });
  it('refuses an empty key list, a relative JWKS URL and a source with no key', () => {
    expect(optionsError({ issuers: [{ ...issuer, keys: { publicKeys: [] } }] })).toBe(
      'issuers.0.keys.publicKeys',
    );
    expect(optionsError({ issuers: [{ ...issuer, keys: { jwksUri: '/jwks' } }] })).toBe(
      'issuers.0.keys.jwksUri',
    );
    expect(optionsError({ issuers: [{ ...issuer, keys: {} as never }] })).toBe('issuers.0.keys');
  });
  it('refuses a clock skew over 60 s, a silly token cap and no issuers', () => {
    const keys = { secret: 'x'.repeat(32) };
    expect(optionsError({ clockSkewSeconds: 61, issuers: [{ ...issuer, keys }] })).toBe(
      'clockSkewSeconds',
    );
    expect(optionsError({ maxTokenBytes: 10, issuers: [{ ...issuer, keys }] })).toBe(
      'maxTokenBytes',
    );
    expect(optionsError({ issuers: [] })).toBe('issuers');
  });
  it('refuses an issuer without an audience: jose would then accept tokens minted for any API', () => {
    const keys = { secret: 'x'.repeat(32) };
    for (const audience of [undefined, '', ' ', [], [''], null, 5])
      expect(
        optionsError({ issuers: [{ issuer: 'i', audience, keys } as unknown as JwtIssuerOptions] }),
      ).toBe('issuers.0.audience');
  });
  it('refuses a missing or empty issuer, missing keys, a repeated issuer and a non-object', () => {
    const keys = { secret: 'x'.repeat(32) };
    const as = (x: unknown) => x as JwtIssuerOptions;
    expect(optionsError({ issuers: [as({ audience: 'a', keys })] })).toBe('issuers.0.issuer');
    expect(optionsError({ issuers: [as({ issuer: '', audience: 'a', keys })] })).toBe(
      'issuers.0.issuer',
    );
    expect(optionsError({ issuers: [as({ issuer: 'i', audience: 'a', keys: null })] })).toBe(
      'issuers.0.keys',
    );
    expect(optionsError({ issuers: [as(null)] })).toBe('issuers.0');
    expect(
      optionsError({
        issuers: [
          { ...issuer, keys },
          { ...issuer, keys },
        ],
      }),
    ).toBe('issuers');
    expect(optionsError(undefined as unknown as JwtAuthOptions)).toBe('options');
    expect(optionsError(null as unknown as JwtAuthOptions)).toBe('options');
    expect(optionsError([] as unknown as JwtAuthOptions)).toBe('options');
  });
  it('accepts one audience or a list of them', () => {
    const keys = { secret: 'x'.repeat(32) };
    expect(
      optionsError({ issuers: [{ issuer: 'i', audience: ['a', 'b'], keys }] }),
    ).toBeUndefined();
  });
});

describe('local public keys', () => {
  it('verifies an ES256 token against a JWK whose own kid is used', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = { ...(await exportJWK(ec.publicKey)), kid: 'ec-1' };
    const auth = createJwtAuth({
      issuers: [
        {
          issuer: REMOTE_ISS,
          audience: AUDIENCE,
          tenantScoped: false,
          keys: { publicKeys: [{ key: jwk }] },
        },
      ],
    });
    const token = await new SignJWT(clientClaims({ iss: REMOTE_ISS }))
      .setProtectedHeader({ alg: 'ES256', kid: 'ec-1' })
      .sign(ec.privateKey);
    const out = await auth.preHandlers[0](request(token));
    expect(out?.context?.principal?.id).toBe('client-1');
  });
});

describe('remote JWKS', () => {
  let server: Server;
  let url = '';
  let mode: 'ok' | 'down' | 'huge' | 'not-json' | 'rotated' | 'slow' = 'ok';
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });

  beforeAll(async () => {
    const jwk1 = { ...(await exportJWK(rsa.publicKey)), kid: 'r1', alg: 'RS256' };
    const jwk2 = { ...(await exportJWK(other.publicKey)), kid: 'r2', alg: 'RS256' };
    server = createServer((_req, res) => {
      if (mode === 'down') return void res.writeHead(500).end();
      if (mode === 'slow') return void setTimeout(() => res.end('{"keys":[]}'), 1500).unref();
      if (mode === 'huge')
        return void res.end(JSON.stringify({ keys: [jwk1], pad: 'x'.repeat(200_000) }));
      if (mode === 'not-json') return void res.end('<html>');
      const keys = mode === 'rotated' ? [jwk2] : [jwk1, { kty: 'oct', k: 'c2VjcmV0', kid: 'sym' }];
      res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  const auth = (timeoutMs = 2000) =>
    createJwtAuth({
      issuers: [
        {
          issuer: REMOTE_ISS,
          audience: AUDIENCE,
          keys: { jwksUri: url, cooldownMs: 0, cacheMaxAgeMs: 0, timeoutMs },
        },
      ],
    });
  const sign = (kid: string, key = rsa.privateKey, alg = 'RS256') =>
    new SignJWT(clientClaims({ iss: REMOTE_ISS })).setProtectedHeader({ alg, kid }).sign(key);

  it('verifies a token whose kid is in the fetched key set', async () => {
    mode = 'ok';
    const out = await auth().preHandlers[0](request(await sign('r1')));
    expect(out?.context?.tenantId).toBe('t1');
  });

  it('answers 401 for a kid the key set does not have', async () => {
    mode = 'ok';
    expect(await refusal(auth().preHandlers[0](request(await sign('nope'))))).toMatchObject({
      status: 401,
      reason: 'unknown_kid',
    });
  });

  it('never uses a symmetric key published in the key set', async () => {
    mode = 'ok';
    const token = await sign('sym', new TextEncoder().encode('secret') as never, 'HS256');
    expect((await refusal(auth().preHandlers[0](request(token)))).status).toBe(401);
  });

  it.each(['down', 'huge', 'not-json'] as const)(
    'answers 503, not 401, while the endpoint is %s',
    async (m) => {
      mode = m;
      expect(await refusal(auth().preHandlers[0](request(await sign('r1'))))).toMatchObject({
        status: 503,
        code: 'AUTH_KEYS_UNAVAILABLE',
      });
    },
  );

  it('drops cached tokens when the key set changes', async () => {
    mode = 'ok';
    const a = auth();
    const token = await sign('r1');
    await a.preHandlers[0](request(token));
    mode = 'rotated';
    await a.preHandlers[0](request(await sign('r2', other.privateKey)));
    expect(await refusal(a.preHandlers[0](request(token)))).toMatchObject({
      status: 401,
      reason: 'unknown_kid',
    });
  });

  it('answers 503 when the endpoint does not answer within timeoutMs', async () => {
    mode = 'slow';
    expect(await refusal(auth(100).preHandlers[0](request(await sign('r1'))))).toMatchObject({
      status: 503,
    });
  });
});
