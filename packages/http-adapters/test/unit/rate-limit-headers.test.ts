import { createRequestContext, deriveContext } from '@plinth/context';
import { describe, expect, it } from 'vitest';
import { clientKey, ipv6Network } from '../../src/rate-limit/client-key.js';
import {
  limitField,
  limitPrefix,
  policyField,
  resetSeconds,
  sfString,
} from '../../src/rate-limit/headers.js';
import { withLimitHeaders } from '../../src/rate-limit/response-headers.js';

describe('RateLimit header fields (draft-ietf-httpapi-ratelimit-headers-11)', () => {
  it('writes a policy item with its quota and window', () => {
    expect(policyField('default', 100, 60)).toBe('"default";q=100;w=60');
  });

  it('writes a service limit item with the remaining quota and the effective window', () => {
    expect(limitField(limitPrefix('default'), 50, 30_000)).toBe('"default";r=50;t=30');
  });

  it('rounds the effective window up, so a client waiting t seconds is never early', () => {
    expect(limitField(limitPrefix('login'), 0, 29_001)).toBe('"login";r=0;t=30');
    expect(resetSeconds(1)).toBe(1);
  });

  it('never writes a negative or fractional value', () => {
    expect(limitField(limitPrefix('p'), -3, -5)).toBe('"p";r=0;t=0');
    expect(limitField(limitPrefix('p'), 2.7, 0)).toBe('"p";r=2;t=0');
  });

  it('escapes quotes and backslashes in an sf-string', () => {
    expect(sfString('a"b\\c')).toBe('"a\\"b\\\\c"');
  });

  it('adds headers to a response without changing it, and returns it as is without any', () => {
    const response = { status: 200, headers: { 'content-type': 'text/plain' }, body: 'x' };
    const out = withLimitHeaders(response, { ratelimit: '"default";r=1;t=2' });
    expect(out.headers).toEqual({ 'content-type': 'text/plain', ratelimit: '"default";r=1;t=2' });
    expect(response.headers).toEqual({ 'content-type': 'text/plain' });
    expect(withLimitHeaders(response, undefined)).toBe(response);
  });
});

describe('rate-limit client key', () => {
  const base = createRequestContext({ source: 'http', ip: '203.0.113.7' });
  const principal = { id: 'u1', type: 'staff', roles: [], scopes: [] };

  it('counts an anonymous request by its address', () => {
    expect(clientKey(base, 64)).toBe('i\u0000203.0.113.7');
  });

  it('counts an authenticated request by principal type, tenant and id, not address', () => {
    const staff = deriveContext(base, { principal });
    const client = deriveContext(base, {
      principal: { ...principal, type: 'client' },
      tenantId: 't1',
    });
    expect(clientKey(staff, 64)).toBe('p\u0000staff\u0000\u0000u1');
    expect(clientKey(client, 64)).toBe('p\u0000client\u0000t1\u0000u1');
  });

  it('counts an IPv6 client by its network', () => {
    const v6 = createRequestContext({ source: 'http', ip: '2001:DB8:1:2:3:4:5:6' });
    expect(clientKey(v6, 64)).toBe('i\u00002001:db8:1:2:0:0:0:0/64');
  });

  it('shares one key for an address without context', () => {
    expect(clientKey(createRequestContext({ source: 'http' }), 64)).toBe('i\u0000');
  });
});

describe('ipv6Network', () => {
  it.each([
    ['2001:db8::1', 64, '2001:db8:0:0:0:0:0:0/64'],
    ['2001:db8:aaaa:bbbb:cccc::1', 48, '2001:db8:aaaa:0:0:0:0:0/48'],
    ['2001:db8:aaaa:bbbb:cccc::1', 56, '2001:db8:aaaa:bb00:0:0:0:0/56'],
    ['::1', 128, '0:0:0:0:0:0:0:1/128'],
    ['fe80::1%eth0', 64, 'fe80:0:0:0:0:0:0:0/64'],
    ['::ffff:192.0.2.1', 64, '192.0.2.1'],
    ['::FFFF:c000:0201', 64, '192.0.2.1'],
    ['0:0:0:0:0:ffff:c000:201', 64, '192.0.2.1'],
    ['1:2:3:4:5:6:7:8', 32, '1:2:0:0:0:0:0:0/32'],
  ])('%s/%i → %s', (address, prefix, expected) => {
    expect(ipv6Network(address, prefix)).toBe(expected);
  });

  it.each(['1::2::3', '1:2:3', 'zz::1', '1:2:3:4:5:6:7:8:9', '1:2:3:4::5:6:7:8'])(
    'keeps the unparsable %s as given',
    (address) => {
      expect(ipv6Network(address, 64)).toBe(address.toLowerCase());
    },
  );
});
