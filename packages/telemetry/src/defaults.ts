/**
 * Every default of {@link TelemetryOptions}, in one place.
 *
 * @example
 * ```ts
 * import { TELEMETRY_DEFAULTS } from '@plinth/telemetry';
 *
 * console.log(TELEMETRY_DEFAULTS.sampleRatio); // 1
 * ```
 */
export const TELEMETRY_DEFAULTS = Object.freeze({
  sampleRatio: 1,
  enabled: true,
  exportTimeoutMs: 10_000,
  metricIntervalMs: 60_000,
  shutdownTimeoutMs: 5_000,
  required: false,
});

/** Parses an absolute http(s) URL without credentials; undefined when it is not one. */
export function parseCollectorUrl(value: string | URL): URL | undefined {
  const url = URL.parse(String(value));
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) return undefined;
  return url.username === '' && url.password === '' ? url : undefined;
}

/** `<base>/v1/<signal>` with one slash, as the OTLP exporter spec builds it from OTEL_EXPORTER_OTLP_ENDPOINT. */
export function signalUrl(base: URL, signal: 'traces' | 'metrics' | 'logs'): string {
  const url = new URL(base.href);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/${signal}`;
  return url.href;
}

/**
 * A header value may not hold CR, LF or NUL (the request would be refused,
 * or a header injected) nor other control characters but tab.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting them is the point
export const BAD_HEADER_VALUE = /[\u0000-\u0008\u000a-\u001f\u007f]/;
