import { type EnvPrimitive, envPrimitive, fail, ok } from '../primitives/env-string.js';

/** `false`/`true`, a hop count, or a list of trusted addresses/subnets. */
export type TrustProxy = boolean | number | readonly string[];

const TRUE = new Set(['true', 'yes', 'on']);
const FALSE = new Set(['false', 'no', 'off']);
const ADDRESS = /^[0-9A-Za-z.:/_-]+$/;

/**
 * Trust-proxy setting in the shape Express and Fastify accept: `true`/`false`,
 * a number of hops (`1`), or a comma list (`loopback, 10.0.0.0/8`).
 */
export function trustProxy(): EnvPrimitive<TrustProxy> {
  return envPrimitive<TrustProxy>(
    (text) => {
      const word = text.toLowerCase();
      if (TRUE.has(word)) return ok(true);
      if (FALSE.has(word)) return ok(false);
      if (/^\d{1,3}$/.test(text)) return ok(Number(text));
      const items = text.split(',').map((s) => s.trim());
      if (items.every((item) => ADDRESS.test(item))) return ok(Object.freeze(items));
      return fail('must be true/false, a hop count, or a comma list of addresses or subnets');
    },
    {
      format: (v) => (Array.isArray(v) ? v.join(',') : String(v)),
      hint: 'true|false|<hops>|<address,subnet,…>',
    },
  );
}
