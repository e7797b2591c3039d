import { tokenRefused } from './auth-errors.js';

// RFC 6750 §2.1 with the scheme spelled exactly `Bearer` and one space: anything looser
// is refused rather than guessed at. The token itself must be a JWS compact serialization.
const BEARER = /^Bearer ([^\s]+)$/;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const QUERY_TOKEN = /(?:^|[?&])access_token=/;

/**
 * What follows `Bearer ` in a single `Authorization` header within `maxBytes`,
 * with none of {@link bearerToken}'s other checks: a cache key to look up
 * before them. Only a token that passed them all was ever cached, so a hit
 * needs none of them; anything else goes through {@link bearerToken}.
 */
export function bearerCandidate(
  authorization: string | string[] | undefined,
  url: string,
  maxBytes: number,
): string | undefined {
  return typeof authorization === 'string' &&
    authorization.length <= maxBytes + 7 &&
    authorization.startsWith('Bearer ') &&
    !hasQueryToken(url)
    ? authorization.slice(7)
    : undefined;
}

function hasQueryToken(url: string): boolean {
  // A plain substring search first: most targets never get as far as the pattern.
  if (!url.includes('access_token=')) return false;
  const query = url.indexOf('?');
  return query !== -1 && QUERY_TOKEN.test(url.slice(query));
}

/**
 * The bearer token of a request, or `undefined` when no credentials were sent.
 * Refused (401): a token in the query string (RFC 6750 §2.3 leaks it into logs),
 * a repeated `Authorization` header (the core passes it as an array), another
 * scheme or spacing, a token over `maxBytes`, or anything that is not three
 * base64url segments (unsigned tokens have an empty third one).
 */
export function bearerToken(
  authorization: string | string[] | undefined,
  url: string,
  maxBytes: number,
): string | undefined {
  if (hasQueryToken(url)) throw tokenRefused('query_token');
  if (authorization === undefined) return undefined;
  if (Array.isArray(authorization)) throw tokenRefused('multiple_headers');
  if (authorization.length > maxBytes + 7) throw tokenRefused('too_large');
  // The usual header passes with one scan; anything else goes through the checks
  // below, which name the reason it is refused.
  if (authorization.startsWith('Bearer ')) {
    const token = authorization.slice(7);
    if (COMPACT_JWS.test(token)) return token;
  }
  const token = BEARER.exec(authorization)?.[1];
  if (token === undefined) throw tokenRefused('scheme');
  if (!COMPACT_JWS.test(token)) throw tokenRefused('malformed');
  return token;
}
