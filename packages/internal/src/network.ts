/**
 * Node socket and DNS error codes that mean "the peer is unreachable", each
 * with a fixed phrase that is safe to show (no host, port or address).
 */
export const NETWORK_ERROR_PHRASES: Readonly<Record<string, string>> = Object.freeze({
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ECONNABORTED: 'connection aborted',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
});

/** The codes of {@link NETWORK_ERROR_PHRASES} as a set. */
export const NETWORK_ERROR_CODES: ReadonlySet<string> = new Set(Object.keys(NETWORK_ERROR_PHRASES));

/** True when `err` carries a network error code (`err.code`, or the first of an AggregateError's). */
export function isNetworkError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && NETWORK_ERROR_CODES.has(code)) return true;
  const errors = (err as { errors?: unknown } | null)?.errors;
  return (
    Array.isArray(errors) &&
    errors.some((e) => NETWORK_ERROR_CODES.has((e as { code?: string })?.code ?? ''))
  );
}
