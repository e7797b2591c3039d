const TRACES_PATH = 'v1/traces';

/** Parses an absolute http(s) URL without credentials; undefined when it is not one. */
export function parseCollectorUrl(value: string | URL): URL | undefined {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  return url;
}

/**
 * The OTLP/HTTP traces URL for a base endpoint, following the OTel exporter
 * spec for `OTEL_EXPORTER_OTLP_ENDPOINT`: `<base>/v1/traces` (one slash). A
 * base whose path already ends in `/v1/traces` is kept as it is.
 */
export function tracesUrlFromBase(base: URL): string {
  const url = new URL(base.href);
  if (url.pathname.replace(/\/+$/, '').endsWith(`/${TRACES_PATH}`)) return url.href;
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${TRACES_PATH}`;
  return url.href;
}

/** Origin + path only: safe to log (no query string, which may carry tokens). */
export function loggableUrl(href: string): string {
  const url = new URL(href);
  return `${url.origin}${url.pathname}`;
}
