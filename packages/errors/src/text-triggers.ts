/**
 * Cheap pre-check run before the string scanner (no allocation; most strings
 * skip the scan). It lives next to the scanner because it must say "maybe"
 * for every string the scanner could change, whatever key matcher the
 * caller passes; property tests hold the two together. Every shape the
 * scanner removes needs one of: `://` (URL userinfo and query parameters,
 * whose names may hold any character); a `:` or `=` right after a word,
 * quote, `.` or `-` (pairs, escaped JSON), or a `:` right after `%` or `+`
 * (`user:pass@host` without a scheme); an auth scheme followed by a space; a
 * PEM header; a token prefix; a run of digits long enough for a card number;
 * or an IBAN's country and check digits.
 */
const TOKEN_TRIGGER =
  /-----BEGIN|eyJ|A(?:KIA|SIA|Iza)|[sr]k_|gh[pousr]_|github_pat_|xox[abprs]-|[A-Z]{2}\d\d/;
const AUTH_TRIGGER = /(?:bearer|basic|token)\s/i;

/** A word character, quote, `.` or `-`: what can end a key before `:` / `=`. */
function endsKey(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    code === 0x5f ||
    code === 0x22 ||
    code === 0x27 ||
    code === 0x2e ||
    code === 0x2d
  );
}

/** The pair scanner allows up to this many spaces or tabs between a key and its separator. */
export const MAX_PAIR_GAP = 8;

/** `%` or `+`: what may also end the user part of `user:pass@host`. */
function endsUser(code: number): boolean {
  return code === 0x25 || code === 0x2b;
}

function separatorAfterKey(value: string, separator: string): boolean {
  for (let i = value.indexOf(separator); i !== -1; i = value.indexOf(separator, i + 1)) {
    if (i === 0) continue;
    const before = value.charCodeAt(i - 1);
    if (separator === ':' && endsUser(before)) return true;
    let j = i - 1;
    for (let n = 0; n < MAX_PAIR_GAP && j > 0 && (value[j] === ' ' || value[j] === '\t'); n++) j--;
    if (endsKey(value.charCodeAt(j))) return true;
  }
  return false;
}

/** At least 13 digits in the string: the shortest card number. */
function enoughDigits(value: string): boolean {
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39 && ++n >= 13) return true;
  }
  return false;
}

function scanTriggers(value: string): boolean {
  return (
    value.includes('://') ||
    separatorAfterKey(value, ':') ||
    separatorAfterKey(value, '=') ||
    TOKEN_TRIGGER.test(value) ||
    AUTH_TRIGGER.test(value) ||
    enoughDigits(value)
  );
}

// Strings recur (messages, routes, user agents): remember the decision for
// short ones. Bounded; only the yes/no is derived from the string.
const CACHE_LIMIT = 1000;
const CACHE_MAX_LENGTH = 128;
const cache = new Map<string, boolean>();

/** True when `value` may hold something the string scanner would redact. */
export function mayHoldSecret(value: string): boolean {
  if (value.length < 5) return false;
  if (value.length > CACHE_MAX_LENGTH) return scanTriggers(value);
  let hit = cache.get(value);
  if (hit === undefined) {
    hit = scanTriggers(value);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(value, hit);
  }
  return hit;
}
