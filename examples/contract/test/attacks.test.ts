import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, inject, it } from 'vitest';
import { apiFor, expectProblem, rawRequest } from './support/api.js';
import { FRAMEWORKS } from './support/harness.js';
import { nowSeconds, rawToken, sign, staffClaims } from './support/tokens.js';

const TENANT = randomUUID();
const claims = (extra: Record<string, unknown> = {}) => staffClaims(TENANT, 'viewer', extra);

/** HS256 by hand: for headers jose will not produce (crit) and for other secrets. */
const hs256 = (header: object, payload: object, secret: string) => {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
};

type Attack = () => Promise<{ authorization?: string; path?: string; raw?: string }>;

const bearer = async (token: Promise<string> | string) => ({
  authorization: `Bearer ${await token}`,
});
const WRONG_SECRET = 'wrong-secret-wrong-secret-wrong-secret-0123';

/** The http-adapters part-2 corpus, aimed at the example's HS256 staff issuer. */
const attacks: Record<string, Attack> = {
  'alg none': () => bearer(rawToken({ alg: 'none' }, claims(), '')),
  'alg None with a signature segment': () => bearer(rawToken({ alg: 'None' }, claims())),
  'alg NONE': () => bearer(rawToken({ alg: 'NONE' }, claims(), 'AA')),
  'an RS256 token with an embedded jwk that signed it': async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk = await exportJWK(publicKey);
    return bearer(new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', jwk }).sign(privateKey));
  },
  'a jku pointing elsewhere': () =>
    bearer(hs256({ alg: 'HS256', jku: 'https://evil.example/jwks.json' }, claims(), WRONG_SECRET)),
  'an x5u pointing elsewhere': () =>
    bearer(hs256({ alg: 'HS256', x5u: 'https://evil.example/cert.pem' }, claims(), WRONG_SECRET)),
  'a kid with path traversal': () =>
    bearer(hs256({ alg: 'HS256', kid: '../../../../dev/null' }, claims(), '')),
  'a kid with SQL': () =>
    bearer(hs256({ alg: 'HS256', kid: "x' OR '1'='1" }, claims(), WRONG_SECRET)),
  'a very long kid': () =>
    bearer(hs256({ alg: 'HS256', kid: 'k'.repeat(2000) }, claims(), WRONG_SECRET)),
  'a crit header (correctly signed with our secret)': () =>
    bearer(hs256({ alg: 'HS256', crit: ['exp'] }, claims(), inject('contract').auth.secret)),
  'an expired token': () =>
    bearer(sign(claims({ exp: nowSeconds() - 3600, iat: nowSeconds() - 7200 }))),
  'nbf in the future': () => bearer(sign(claims({ nbf: nowSeconds() + 3600 }))),
  'iat far in the future': () =>
    bearer(sign(claims({ iat: nowSeconds() + 86_400, exp: nowSeconds() + 90_000 }))),
  'a wrong iss': () => bearer(sign(claims({ iss: 'https://evil.example/' }))),
  'a wrong aud': () => bearer(sign(claims({ aud: 'another-api' }))),
  'an audience list without ours': () => bearer(sign(claims({ aud: ['a', 'b'] }))),
  'a missing exp': () => bearer(sign(claims({ exp: undefined }))),
  'an unsigned token (empty signature)': async () => {
    const [h, p] = (await sign(claims())).split('.');
    return { authorization: `Bearer ${h}.${p}.` };
  },
  'a truncated signature': async () => bearer((await sign(claims())).slice(0, -10)),
  'bad base64url': async () => bearer((await sign(claims())).replace('.', '.+/=')),
  'duplicate JSON keys in the header': () =>
    bearer(rawToken('{"alg":"HS256","alg":"none"}', claims())),
  'a payload that is not an object': () => bearer(rawToken({ alg: 'HS256' }, [1, 2])),
  'a payload that is not JSON': () => bearer(rawToken({ alg: 'HS256' }, 'not json')),
  'an oversized token': () => bearer(sign(claims({ pad: 'x'.repeat(9000) }))),
  'a token in the query string': async () => ({
    path: `/v1/clients?access_token=${await sign(claims())}`,
  }),
  'two Authorization headers': async () => {
    const token = await sign(claims());
    return {
      raw: `GET /v1/clients HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`,
    };
  },
  'bearer in lower case': async () => ({ authorization: `bearer ${await sign(claims())}` }),
  'Bearer with two spaces': async () => ({ authorization: `Bearer  ${await sign(claims())}` }),
  'another scheme': async () => ({
    authorization: `Basic ${Buffer.from('a:b').toString('base64')}`,
  }),
  'a token signed with the wrong secret': () =>
    bearer(hs256({ alg: 'HS256' }, claims(), WRONG_SECRET)),
  'a valid token from an issuer that is not configured': () =>
    bearer(sign(claims({ iss: 'https://other-tenant-id.example/' }))),
  'a token whose tenant_id is missing': () => bearer(sign(claims({ tenant_id: undefined }))),
  'a tenant_id of the wrong type': () => bearer(sign(claims({ tenant_id: 42 }))),
  'roles of the wrong type': () => bearer(sign(claims({ roles: 'admin' }))),
  'a numeric sub': () => bearer(sign(claims({ sub: 7 }))),
  'a tenant_id with control characters': () => bearer(sign(claims({ tenant_id: 't1\n' }))),
  'HS384 with our secret (algorithm not allowed)': () =>
    bearer(
      new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS384' })
        .sign(new TextEncoder().encode(inject('contract').auth.secret)),
    ),
};

describe.each(FRAMEWORKS)('bearer token attack corpus on %s', (framework) => {
  const api = apiFor(framework);
  const sent: string[] = [];

  it.each(Object.keys(attacks))(
    'refuses %s with 401 problem+json and an invalid_token challenge',
    async (name) => {
      const attack = await (attacks[name] as Attack)();
      if (attack.authorization) sent.push(attack.authorization.slice(7));
      if (attack.raw) {
        const response = await rawRequest(api.port, attack.raw);
        expect(response).toMatch(/^HTTP\/1\.1 401 /);
        expect(response).toMatch(/www-authenticate: Bearer error="invalid_token"/i);
        expect(response).toMatch(/content-type: application\/problem\+json/i);
        return;
      }
      const reply = await api.call('GET', attack.path ?? '/v1/clients', {
        headers: attack.authorization ? { authorization: attack.authorization } : {},
      });
      expectProblem(reply, 401);
      expect(reply.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    },
  );

  it('answers a request without credentials with 401 and a plain Bearer challenge', async () => {
    const reply = await api.call('GET', '/v1/clients');
    expectProblem(reply, 401);
    expect(reply.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('still answers 200 to a valid token', async () => {
    expect((await api.call('GET', '/v1/clients', { token: await sign(claims()) })).status).toBe(
      200,
    );
  });

  it('logs no fragment of any refused token', async () => {
    await new Promise((r) => setTimeout(r, 300));
    const logged = readFileSync(inject('contract').services[framework].logFile, 'utf8');
    expect(logged.length).toBeGreaterThan(0);
    for (const token of sent)
      for (const segment of token.split('.').filter((s) => s.length >= 16))
        expect(logged).not.toContain(segment.slice(-16));
  });
});
