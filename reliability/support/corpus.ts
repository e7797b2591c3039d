import { SignJWT } from 'jose';
import type { RequestSpec } from './http.js';
import { AUTH } from './jwt.js';

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

export interface CorpusEntry {
  name: string;
  spec: RequestSpec;
}

/**
 * Hostile requests of the http-adapters issues (oversized and malformed bodies, prototype
 * pollution, deep nesting, path tricks, wrong media types and methods) and of the JWT
 * issues (alg none, forged, expired, wrong audience, oversized), aimed at the example's
 * routes. Every one must get a 4xx problem+json.
 */
export async function hostileCorpus(token: string, tenantId: string): Promise<CorpusEntry[]> {
  const auth = { authorization: `Bearer ${token}` };
  const json = { ...auth, 'content-type': 'application/json' };
  const key = new TextEncoder().encode(AUTH.secret);
  const claims = { tenant_id: tenantId, roles: ['admin'] };
  const sign = (jwt: SignJWT) =>
    jwt.setProtectedHeader({ alg: 'HS256' }).setSubject('attacker').sign(key);
  const expired = await sign(
    new SignJWT(claims)
      .setIssuer(AUTH.issuer)
      .setAudience(AUTH.audience)
      .setIssuedAt(1_000)
      .setExpirationTime(2_000),
  );
  const wrongAudience = await sign(
    new SignJWT(claims).setIssuer(AUTH.issuer).setAudience('someone-else').setExpirationTime('1h'),
  );
  const forged = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(AUTH.issuer)
    .setAudience(AUTH.audience)
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode('not-the-secret-not-the-secret-123456'));
  const algNone = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ ...claims, iss: AUTH.issuer, aud: AUTH.audience, sub: 'x', exp: 4_102_444_800 })}.`;
  const bigToken = `${b64url({ alg: 'HS256' })}.${'A'.repeat(12_000)}.${'B'.repeat(43)}`;
  const post = (
    name: string,
    body: string | Buffer,
    headers: Record<string, string> = json,
  ): CorpusEntry => ({
    name,
    spec: { method: 'POST', path: '/v1/clients', headers, body },
  });
  const get = (
    name: string,
    path: string,
    headers: Record<string, string> = auth,
  ): CorpusEntry => ({
    name,
    spec: { path, headers },
  });
  return [
    post('malformed JSON', '{"name": "a", "email": '),
    post('not JSON under a JSON type', '<xml>not json</xml>'),
    post('JSON nested 10,000 deep', `${'['.repeat(10_000)}${']'.repeat(10_000)}`),
    post('__proto__ key', '{"__proto__":{"polluted":"yes"},"name":"a","email":"a@b.test"}'),
    post('escaped __proto__ key', '{"\\u005f_proto__":{"polluted":"yes"}}'),
    post('constructor.prototype', '{"a":[{"constructor":{"prototype":{"polluted":"yes"}}}]}'),
    post('invalid fields', JSON.stringify({ name: '', email: 'not-an-email', phone: 'x' })),
    post('unknown field', JSON.stringify({ name: 'A', email: 'a@b.test', role: 'admin' })),
    post('control characters', JSON.stringify({ name: 'a\u0000b', email: 'a@b.test' })),
    post('lone surrogate', '{"name":"\\ud800","email":"a@b.test"}'),
    post('body over the 1 MiB limit', Buffer.alloc(1024 * 1024 + 512, 0x20)),
    post('text/plain body', 'name=a', { ...auth, 'content-type': 'text/plain' }),
    post('form body', 'name=a&email=b', {
      ...auth,
      'content-type': 'application/x-www-form-urlencoded',
    }),
    get('NUL in the id', '/v1/clients/%00'),
    get('encoded traversal', '/v1/clients/..%2F..%2Fetc%2Fpasswd'),
    get('bad percent-encoding', '/v1/clients/%E0%A4%A'),
    get('lone percent', '/v1/clients/%'),
    get('not a uuid', '/v1/clients/1%20OR%201=1'),
    get('unknown route', '/v1/../../etc/passwd'),
    get('huge limit', '/v1/clients?limit=100000000000000000000'),
    get('garbage cursor', `/v1/clients?cursor=${'%FF'.repeat(100)}`),
    {
      name: 'wrong method',
      spec: { method: 'PUT', path: '/v1/clients', headers: json, body: '{}' },
    },
    get('no token', '/v1/clients', {}),
    get('alg none token', '/v1/clients', { authorization: `Bearer ${algNone}` }),
    get('forged token', '/v1/clients', { authorization: `Bearer ${forged}` }),
    get('expired token', '/v1/clients', { authorization: `Bearer ${expired}` }),
    get('wrong audience', '/v1/clients', { authorization: `Bearer ${wrongAudience}` }),
    get('oversized token', '/v1/clients', { authorization: `Bearer ${bigToken}` }),
    get('garbage scheme', '/v1/clients', { authorization: 'Basic YWRtaW46YWRtaW4=' }),
    get('invalid correlation id', '/v1/clients/not-a-uuid', {
      ...auth,
      'x-correlation-id': '<script>'.repeat(20),
    }),
  ];
}
