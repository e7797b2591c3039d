import { createHmac, createSign } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { authAppOptions } from '../support/auth-app.js';
import { FRAMEWORKS, readJson, useApp } from '../support/fixture.js';
import { rawRequest } from '../support/raw.js';
import {
  clientClaims,
  clientToken,
  nowSeconds,
  otherRsa,
  RSA_PUBLIC_PEM,
  rawToken,
  rsa,
  STAFF_SECRET,
} from '../support/tokens.js';

const hs256 = (header: object, payload: object, secret: string | Buffer) => {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
};

// Signed by hand: jose refuses to produce a `crit` it does not understand.
const rs256 = (header: object, payload: object) => {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(rsa.privateKey).toString('base64url')}`;
};

/** Every case yields the Authorization header value(s) to send, or a raw request line. */
type Attack = () => Promise<{
  authorization?: string;
  path?: string;
  raw?: (port: number) => string;
}>;

const bearer = async (token: Promise<string> | string) => ({
  authorization: `Bearer ${await token}`,
});

const attacks: Record<string, Attack> = {
  'alg none': () => bearer(rawToken({ alg: 'none' }, clientClaims(), '')),
  'alg None in another case, with a signature segment': () =>
    bearer(rawToken({ alg: 'None' }, clientClaims())),
  'alg NONE': () => bearer(rawToken({ alg: 'NONE', kid: 'client-k1' }, clientClaims(), 'AA')),
  'HS256 signed with the RS public key (key confusion)': () =>
    bearer(hs256({ alg: 'HS256', kid: 'client-k1' }, clientClaims(), RSA_PUBLIC_PEM)),
  'an embedded jwk that signed the token itself': async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk = await exportJWK(publicKey);
    return bearer(
      new SignJWT(clientClaims()).setProtectedHeader({ alg: 'RS256', jwk }).sign(privateKey),
    );
  },
  'a jku pointing elsewhere': () =>
    bearer(
      clientToken({}, { jku: 'https://evil.example/jwks.json', kid: 'evil' }, otherRsa.privateKey),
    ),
  'an x5u pointing elsewhere': () =>
    bearer(
      clientToken({}, { x5u: 'https://evil.example/cert.pem', kid: 'evil' }, otherRsa.privateKey),
    ),
  'a kid with path traversal': () =>
    bearer(clientToken({}, { kid: '../../../../dev/null' }, otherRsa.privateKey)),
  'a kid with SQL': () => bearer(clientToken({}, { kid: "x' OR '1'='1" }, otherRsa.privateKey)),
  'a very long kid': () => bearer(clientToken({}, { kid: 'k'.repeat(2000) })),
  'a crit header (correctly signed with our key)': () =>
    bearer(rs256({ alg: 'RS256', kid: 'client-k1', crit: ['exp'] }, clientClaims())),
  'an expired token': () =>
    bearer(clientToken({ exp: nowSeconds() - 3600, iat: nowSeconds() - 7200 })),
  'nbf in the future': () => bearer(clientToken({ nbf: nowSeconds() + 3600 })),
  'iat far in the future': () =>
    bearer(clientToken({ iat: nowSeconds() + 86_400, exp: nowSeconds() + 90_000 })),
  'a wrong iss': () => bearer(clientToken({ iss: 'https://evil.example/' })),
  'a wrong aud': () => bearer(clientToken({ aud: 'another-api' })),
  'a missing exp': () => bearer(clientToken({ exp: undefined })),
  'an unsigned token (empty signature)': async () => {
    const [h, p] = (await clientToken()).split('.');
    return { authorization: `Bearer ${h}.${p}.` };
  },
  'a truncated signature': async () => bearer((await clientToken()).slice(0, -10)),
  'bad base64url': async () => bearer((await clientToken()).replace('.', '.+/=')),
  'duplicate JSON keys in the header': () =>
    bearer(rawToken('{"alg":"RS256","kid":"client-k1","alg":"none"}', clientClaims())),
  'a payload that is not an object': () =>
    bearer(rawToken({ alg: 'RS256', kid: 'client-k1' }, [1, 2])),
  'a payload that is not JSON': () =>
    bearer(rawToken({ alg: 'RS256', kid: 'client-k1' }, 'not json')),
  'an oversized token': () => bearer(clientToken({ pad: 'x'.repeat(9000) })),
  'a token in the query string': async () => ({ path: `/me?access_token=${await clientToken()}` }),
  'two Authorization headers': async () => {
    const token = await clientToken();
    return {
      raw: () =>
        `GET /me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`,
    };
  },
  'bearer in lower case': async () => ({ authorization: `bearer ${await clientToken()}` }),
  'Bearer with two spaces': async () => ({ authorization: `Bearer  ${await clientToken()}` }),
  'another scheme': async () => ({
    authorization: `Basic ${Buffer.from('a:b').toString('base64')}`,
  }),
  'a valid token from an issuer that is not configured': () =>
    bearer(
      new SignJWT({ ...clientClaims(), iss: 'https://other-tenant-id.example/' })
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new TextEncoder().encode(STAFF_SECRET)),
    ),
  'a valid client token whose tenant_id is missing': () =>
    bearer(clientToken({ tenant_id: undefined })),
  'a tenant_id of the wrong type': () => bearer(clientToken({ tenant_id: 42 })),
  'roles of the wrong type': () => bearer(clientToken({ roles: 'admin' })),
  'a numeric sub': () => bearer(clientToken({ sub: 7 })),
  'a tenant_id with control characters': () => bearer(clientToken({ tenant_id: 't1\n' })),
  'a staff token signed with the wrong secret': () =>
    bearer(
      hs256(
        { alg: 'HS256' },
        { ...clientClaims(), iss: 'https://staff-id.example.com/', tenant_id: undefined },
        'wrong-secret-wrong-secret-wrong-secret',
      ),
    ),
  'an audience list without ours': () => bearer(clientToken({ aud: ['a', 'b'] })),
  'a token signed by another RSA key with our kid': () =>
    bearer(clientToken({}, {}, otherRsa.privateKey)),
};

describe.each(FRAMEWORKS)('bearer token attack corpus on %s', (framework) => {
  const t = useApp(framework, authAppOptions());
  const sent: string[] = [];

  it.each(Object.keys(attacks))(
    'refuses %s with 401 problem+json and an invalid_token challenge',
    async (name) => {
      const attack = await (attacks[name] as Attack)();
      if (attack.authorization) sent.push(attack.authorization.slice(7));
      if (attack.raw) {
        const response = await rawRequest(t.app.port, attack.raw(t.app.port));
        expect(response).toMatch(/^HTTP\/1\.1 401 /);
        expect(response).toMatch(/www-authenticate: Bearer error="invalid_token"/i);
        expect(response).toMatch(/content-type: application\/problem\+json/i);
        return;
      }
      const res = await fetch(`${t.app.url}${attack.path ?? '/me'}`, {
        headers: attack.authorization ? { authorization: attack.authorization } : {},
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const body = await readJson(res);
      expect(body.code).toBe('AUTH_TOKEN_INVALID');
      expect(body.detail).toBe('Invalid credentials');
    },
  );

  it('answers a request without credentials with 401 and a plain Bearer challenge', async () => {
    const res = await fetch(`${t.app.url}/me`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect((await readJson(res)).code).toBe('AUTH_TOKEN_MISSING');
  });

  it('still answers 200 to a valid token, with the principal and tenant in the context', async () => {
    const res = await fetch(`${t.app.url}/me`, {
      headers: { authorization: `Bearer ${await clientToken()}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: 'client-1', type: 'client', tenantId: 't1' });
  });

  it('logs the refusal reason and no fragment of any token', () => {
    const logged = JSON.stringify(t.log.lines);
    expect(logged).toContain('"reason":"expired"');
    for (const token of sent) {
      for (const segment of token.split('.').filter((s) => s.length >= 12)) {
        expect(logged).not.toContain(segment.slice(-12));
      }
    }
  });
});
