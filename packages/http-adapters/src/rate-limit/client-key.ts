import type { RequestContext } from '@plinth/context';

/**
 * Who a request is counted against: the authenticated principal (its type,
 * tenant and id, so equal `sub`s from two issuers or tenants never share a
 * budget), else the client address the adapter computed with the configured
 * trust-proxy setting. NUL separates the parts: `@plinth/context` refuses
 * control characters in principal ids and tenants, so no two callers collide.
 */
export function clientKey(context: RequestContext, ipv6Prefix: number): string {
  const { principal } = context;
  if (principal) return `p\0${principal.type}\0${context.tenantId ?? ''}\0${principal.id}`;
  const ip = context.ip ?? '';
  return `i\0${ip.includes(':') ? ipv6Network(ip, ipv6Prefix) : ip}`;
}

const HEXTET = /^[0-9a-f]{1,4}$/;

/**
 * The `/prefix` network of an IPv6 address (`2001:db8:1:2::/64` for any host
 * in it): one subscriber usually holds a whole /64, so counting single
 * addresses would give them 2^64 budgets. IPv4-mapped addresses count as
 * their IPv4 address; anything unparsable is counted as given.
 */
export function ipv6Network(address: string, prefix: number): string {
  const text = address.toLowerCase().replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (mapped) return mapped[1] as string;
  const groups = expand(text);
  if (!groups) return text;
  if (groups.slice(0, 5).every((g) => /^0+$/.test(g)) && groups[5] === 'ffff') {
    // The same mapping written in hex (`::ffff:c000:201`).
    const [hi, lo] = [
      Number.parseInt(groups[6] as string, 16),
      Number.parseInt(groups[7] as string, 16),
    ];
    return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.');
  }
  const out: string[] = [];
  for (let i = 0; i < 8; i++) {
    const keep = Math.min(16, Math.max(0, prefix - i * 16));
    const value = Number.parseInt(groups[i] as string, 16);
    out.push((keep === 0 ? 0 : value & (0xffff << (16 - keep)) & 0xffff).toString(16));
  }
  return `${out.join(':')}/${prefix}`;
}

function expand(text: string): string[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  return groups.every((g) => HEXTET.test(g)) ? groups : undefined;
}
