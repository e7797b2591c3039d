import { InternalError } from '@plinth/errors';
import helmet, { type HelmetOptions } from 'helmet';
import type { HstsOptions } from './options.js';

/**
 * The one helmet configuration both adapters build their header set from
 * (once, at startup; ADR 0099, ADR 0107), so the header set and values match.
 * A set for JSON APIs (ADR 0110): a CSP (`default-src 'none';
 * frame-ancestors 'none'`), nosniff, `X-Frame-Options: DENY`,
 * `Referrer-Policy: no-referrer`, `X-XSS-Protection: 0` (ADR 0091),
 * `Cross-Origin-Resource-Policy: same-origin`, HSTS as configured, and
 * X-Powered-By removed. helmet's defaults that only act on HTML documents,
 * Internet Explorer or Flash (COOP, Origin-Agent-Cluster,
 * X-DNS-Prefetch-Control, X-Download-Options,
 * X-Permitted-Cross-Domain-Policies) are off.
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
    // Document-only headers: no effect on a JSON response (ADR 0110).
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
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

/** What helmet does to every response, recorded once (ADR 0107). */
export interface SecurityHeaderSet {
  /** Lower-case header names and their values, frozen. */
  readonly set: Readonly<Record<string, string>>;
  /** Lower-case names helmet removes (`x-powered-by`). */
  readonly remove: readonly string[];
}

/**
 * Run the helmet middleware built from {@link helmetOptions} once, against a
 * recording response, and keep what it set and removed. With these options
 * every value is static (no CSP directive is a function, so there is no
 * per-request nonce), so replaying the record on each response sends exactly
 * what helmet would, without re-running its fifteen middleware functions and
 * without one `setHeader` per header on Fastify (ADR 0107).
 */
export function securityHeaderSet(hsts: HstsOptions | false | undefined): SecurityHeaderSet {
  const set: Record<string, string> = {};
  const remove: string[] = [];
  const recorder = {
    // helmet sets each header once, with a string, and only removes X-Powered-By.
    setHeader(name: string, value: string) {
      set[name.toLowerCase()] = value;
    },
    removeHeader(name: string) {
      remove.push(name.toLowerCase());
    },
  };
  let finished = false;
  helmet(helmetOptions(hsts))({} as never, recorder as never, (err?: unknown) => {
    finished = err === undefined;
  });
  // helmet's middleware is synchronous and never fails with these options; if that
  // ever changed, serving without the headers would be worse than not starting.
  if (!finished)
    throw new InternalError('helmet did not set the security headers synchronously', {
      code: 'SECURITY_HEADERS_UNAVAILABLE',
    });
  return { set: Object.freeze(set), remove: Object.freeze(remove) };
}
