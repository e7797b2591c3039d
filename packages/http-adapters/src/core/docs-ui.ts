import { randomBytes } from 'node:crypto';
import { invalidOptions } from '@plinth/errors';
import { textReply } from './reply.js';
import type { RouteDefinition } from './route.js';

/** Settings of the interactive API reference (Scalar). */
export interface DocsOptions {
  /** Where the page is served. Default `/docs`. */
  path?: string;
  /** Page title. Default: the OpenAPI `info.title`. */
  pageTitle?: string;
  /**
   * URL of Scalar's standalone bundle, to self-host it or pin another version.
   * Default: a pinned version of `@scalar/api-reference` on jsDelivr, loaded
   * with its Subresource Integrity hash.
   */
  cdn?: string;
  /**
   * Subresource Integrity of the bundle at `cdn` (`sha384-…`): the browser runs
   * it only if its bytes hash to this. Default: the pinned bundle's hash when
   * `cdn` is the default; none for another `cdn` unless given.
   */
  integrity?: string;
}

/** The version of `@scalar/api-reference` the default docs page loads. */
const SCALAR_VERSION = '1.76.0';
const SCALAR_CDN = `https://cdn.jsdelivr.net/npm/@scalar/api-reference@${SCALAR_VERSION}/dist/browser/standalone.js`;
/**
 * SHA-384 of `dist/browser/standalone.js` in the npm tarball of
 * `@scalar/api-reference` at SCALAR_VERSION (jsDelivr serves the package's
 * files as published), so a changed file on the CDN is refused by the browser.
 * Updating the version: `npm pack @scalar/api-reference@<v>`, then
 * `openssl dgst -sha384 -binary package/dist/browser/standalone.js | base64`.
 */
const SCALAR_INTEGRITY = 'sha384-oH1C0RwqcwbVXkC+r8A+4qRoyEUQdtxAzOwumkxZtQBBcsy61FOoPt7B50OVJYYQ';

const SRI = /^sha(256|384|512)-[A-Za-z0-9+/]+={0,2}$/;

/** `html` with `integrity` and `crossorigin` on the script element that loads `cdn`. */
function withIntegrity(html: string, cdn: string, integrity: string | undefined): string {
  if (!integrity) return html;
  const tag = `<script src="${cdn}"`;
  return html.replace(tag, `${tag} integrity="${integrity}" crossorigin="anonymous"`);
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
  const cdn = options.cdn ?? SCALAR_CDN;
  const integrity = options.integrity ?? (options.cdn === undefined ? SCALAR_INTEGRITY : undefined);
  if (integrity !== undefined && !SRI.test(integrity))
    throw invalidOptions('http-adapters', {
      path: 'docs.integrity',
      message: 'must be a Subresource Integrity hash (sha384-<base64>)',
    });
  let cdnOrigin: string;
  try {
    cdnOrigin = new URL(cdn).origin;
  } catch {
    throw invalidOptions('http-adapters', { path: 'docs.cdn', message: 'must be an absolute URL' });
  }
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
      const { renderApiReference } = await import('@scalar/client-side-rendering');
      const nonce = randomBytes(16).toString('base64');
      const html = withIntegrity(
        renderApiReference({ config, pageTitle: options.pageTitle ?? title, cdn, nonce }),
        cdn,
        integrity,
      );
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
