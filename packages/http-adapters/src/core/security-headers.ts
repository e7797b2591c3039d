import type { HelmetOptions } from 'helmet';
import type { HstsOptions } from './options.js';

/**
 * The one helmet configuration both adapters build their middleware from
 * (once, at startup; ADR 0099), so the header set and values match: a CSP
 * for JSON APIs (`default-src 'none'; frame-ancestors 'none'`), nosniff,
 * `X-Frame-Options: DENY`, `Referrer-Policy: no-referrer`,
 * `X-XSS-Protection: 0` (ADR 0091), HSTS as configured, and helmet's other
 * defaults (COOP, CORP, Origin-Agent-Cluster, X-DNS-Prefetch-Control,
 * X-Download-Options, X-Permitted-Cross-Domain-Policies; X-Powered-By removed).
 */
export function helmetOptions(hsts: HstsOptions | false | undefined): HelmetOptions {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    xXssProtection: true,
    strictTransportSecurity:
      hsts === false
        ? false
        : {
            maxAge: hsts?.maxAgeSeconds ?? 31_536_000,
            includeSubDomains: hsts?.includeSubDomains ?? true,
            preload: hsts?.preload ?? false,
          },
  };
}
