import { describe, expect, it } from 'vitest';
import { keyHasher, normalizeAccount, normalizeIp } from '../../src/auth/login-throttle-keys.js';

describe('login throttle keys', () => {
  it.each([
    ['203.0.113.7', 64, '203.0.113.7'],
    [' 203.0.113.7 ', 64, '203.0.113.7'],
    ['::ffff:203.0.113.7', 64, '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', 64, '2001:db8:1:2:0:0:0:0/64'],
    ['2001:DB8:1:2::9', 64, '2001:db8:1:2:0:0:0:0/64'],
    ['fe80::1%eth0', 64, 'fe80:0:0:0:0:0:0:0/64'],
    ['::FFFF:203.0.113.7', 64, '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', 56, '2001:db8:1:0:0:0:0:0/56'],
    ['2001:db8:1:2:3:4:5:6', 128, '2001:db8:1:2:3:4:5:6/128'],
    ['2001:db8:ab:cdef::1', 52, '2001:db8:ab:c000:0:0:0:0/52'],
    ['::1', 64, '0:0:0:0:0:0:0:0/64'],
    ['unix:/tmp/socket', 64, 'unix:/tmp/socket'],
  ])('counts %s (/%i) as %s', (ip, prefix, expected) => {
    expect(normalizeIp(ip, prefix)).toBe(expected);
  });

  it.each([
    ['Alice@Example.COM', 'alice@example.com'],
    ['  bob@example.com\t', 'bob@example.com'],
    ['ＢＯＢ@example.com', 'bob@example.com'],
    ['ÅSA@example.com', 'åsa@example.com'],
  ])('counts the account %j as %j', (account, expected) => {
    expect(normalizeAccount(account)).toBe(expected);
  });

  it('derives keys that carry no raw account or address and separate every part', () => {
    const h = keyHasher(new Uint8Array(32).fill(7));
    const keys = h.keys('t1', 'alice@example.com', '203.0.113.7', 64);
    expect(keys.pair).toBe(`${keys.account}.${keys.ip}`);
    expect(keys.account).toBe(h.account('t1', 'ALICE@example.com'));
    expect(JSON.stringify(keys)).not.toMatch(/alice|example|203|t1/);
    expect(h.account('t1', 'x')).not.toBe(h.account(undefined, 'x'));
    // JSON framing: "a" + "bc" is not "ab" + "c".
    expect(h.account('a', 'bc')).not.toBe(h.account('ab', 'c'));
  });
});
