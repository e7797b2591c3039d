/**
 * The `RateLimit-Policy` and `RateLimit` fields of
 * draft-ietf-httpapi-ratelimit-headers-11 (ADR 0104): Structured Field lists
 * of items whose value is the policy name as an sf-string, with the `q`
 * (quota) and `w` (window, seconds) parameters on the policy and the `r`
 * (remaining quota) and `t` (effective window, seconds) parameters on the
 * service limit.
 */

/** Response header names, lower-case as the core writes every header. */
export const RATE_LIMIT_POLICY_HEADER = 'ratelimit-policy';
export const RATE_LIMIT_HEADER = 'ratelimit';

/** A policy name: also a Redis key segment, so printable and short. */
export const POLICY_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** RFC 9651 §4.1.6 sf-string (policy names are checked to need no escapes, but stay correct anyway). */
export function sfString(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&')}"`;
}

/** `RateLimit-Policy: "default";q=100;w=60`. */
export function policyField(name: string, quota: number, windowSeconds: number): string {
  return `${sfString(name)};q=${quota};w=${windowSeconds}`;
}

/**
 * The constant start of a `RateLimit` value for one policy; {@link limitField}
 * appends the per-request parameters, so the per-request work is one string.
 */
export const limitPrefix = (name: string): string => `${sfString(name)};r=`;

/**
 * `RateLimit: "default";r=50;t=30`: `remaining` quota units, and the seconds
 * until the window resets, rounded up (a client waiting `t` seconds never
 * comes back early). Both are non-negative integers, as the draft requires.
 */
export function limitField(prefix: string, remaining: number, msBeforeReset: number): string {
  return `${prefix}${Math.max(0, Math.floor(remaining))};t=${resetSeconds(msBeforeReset)}`;
}

/** Whole seconds until the window resets (at least 0), for `t` and `Retry-After`. */
export function resetSeconds(ms: number): number {
  return ms > 0 ? Math.ceil(ms / 1000) : 0;
}
