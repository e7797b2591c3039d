import { randomBytes } from 'node:crypto';
import { textReply } from './reply.js';
import type { RouteDefinition } from './route.js';

/** Settings of the interactive API reference (Scalar). */
export interface DocsOptions {
  /** Where the page is served. Default `/docs`. */
  path?: string;
  /** Page title. Default: the OpenAPI `info.title`. */
  pageTitle?: string;
  /** URL of Scalar's standalone bundle (pin a version, or self-host). Default jsDelivr's latest. */
  cdn?: string;
}

/** `target` relative to the directory of `from`, so the page works under any mount prefix. */
function relative(from: string, target: string): string {
  const depth = from.split('/').length - 2;
  return `${depth > 0 ? '../'.repeat(depth) : './'}${target.replace(/^\//, '')}`;
}

/**
 * The `/docs` route: Scalar's API reference page for the OpenAPI document at
 * `openapiPath`. The page loads Scalar's bundle from its CDN under a
 * per-request nonce; its CSP replaces the API's `default-src 'none'` for this
 * route only (scripts: the nonce and the CDN's origin; styles inline; fetches
 * to the API itself).
 */
export function docsRoute(
  options: DocsOptions,
  openapiPath: string,
  title: string,
): RouteDefinition {
  const path = options.path ?? '/docs';
  const config = {
    url: relative(path, openapiPath),
    withDefaultFonts: false,
    hideClientButton: true,
  };
  return {
    method: 'GET',
    path,
    handler: async () => {
      // Loaded on first use: an ESM-only package, and only services that open /docs need it.
      const { DEFAULT_CDN, renderApiReference } = await import('@scalar/client-side-rendering');
      const cdn = options.cdn ?? DEFAULT_CDN;
      const cdnOrigin = new URL(cdn).origin;
      const nonce = randomBytes(16).toString('base64');
      const html = renderApiReference({
        config,
        pageTitle: options.pageTitle ?? title,
        cdn,
        nonce,
      });
      return textReply(200, html, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': [
          "default-src 'none'",
          `script-src 'nonce-${nonce}' ${cdnOrigin}`,
          "style-src 'self' 'unsafe-inline'",
          "img-src 'self' data:",
          "font-src 'self' data:",
          "connect-src 'self'",
          "frame-ancestors 'none'",
          "base-uri 'none'",
          "form-action 'none'",
        ].join('; '),
      });
    },
  };
}
