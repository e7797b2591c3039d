import { REDACTED, type SensitiveKeyMatcher } from './sensitive-keys.js';

// scheme://userinfo@ — userinfo runs to the last `@` before the path, so a
// password containing `@` is still covered. The scheme may only start after a
// character it cannot contain (not `\b`), which keeps the scan linear.
const URL_USERINFO = /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi;
// user:password@host without a scheme (`admin:hunter2@db.internal:5432`, a
// DSN fragment in a driver message). The user may only start after a
// character it cannot contain, and neither part may hold `:`, `/` or `@`, so
// every start is tried once and the scan stays linear.
const BARE_USERINFO = /(?<![\w.%+:/@-])[\w.%+-]{1,64}:[^\s:/@?#"'<>]{1,256}@(?=[A-Za-z0-9[])/g;
const QUERY_PARAM = /([?&])([^=&#\s]+)=([^&#\s]*)/g;
const JWT = /^eyJ[\w-]*\.[\w-]+\.[\w-]*$/;
const AUTH_SCHEME = /^(?:bearer|basic|token)\s+([\w.~+/-]{8,}=*)$/i;

/** A credential looks random: a digit, mixed case after the first char, or token68 punctuation. */
export function looksRandom(part: string): boolean {
  return /\d|[.~+/=_-]/.test(part) || (/[a-z]/.test(part) && /[A-Z]/.test(part.slice(1)));
}

/**
 * True for a string that is, as a whole, a credential by its shape: a JWT
 * (`eyJ….….…`) or an `Authorization` value (`Bearer …`, `Basic …`, `Token …`).
 */
export function looksLikeCredential(value: string): boolean {
  if (value.length < 10) return false;
  const c = value.charCodeAt(0) | 0x20; // lower-case ASCII
  if (c === 0x65 /* e */ && JWT.test(value)) return true;
  if (c === 0x62 /* b */ || c === 0x74 /* t */) {
    const m = AUTH_SCHEME.exec(value);
    if (m && looksRandom(m[1]!)) return true;
  }
  return false;
}

/**
 * Remove credentials from URLs inside `value`: `scheme://user:pass@host` →
 * `scheme://[redacted]@host` (and `user:pass@host` without a scheme →
 * `[redacted]@host`), and the value of any query parameter whose name
 * is sensitive (`?access_token=…`) → `[redacted]`. Cheap when the string holds
 * no `://`.
 */
export function scrubUrls(value: string, isSensitive: SensitiveKeyMatcher): string {
  const at = value.includes('@');
  if (!value.includes('://')) return at ? value.replace(BARE_USERINFO, `${REDACTED}@`) : value;
  let out = at
    ? value.replace(URL_USERINFO, `$1${REDACTED}@`).replace(BARE_USERINFO, `${REDACTED}@`)
    : value;
  if (out.includes('=')) {
    out = out.replace(QUERY_PARAM, (whole, sep: string, key: string) => {
      let name = key;
      try {
        name = decodeURIComponent(key);
      } catch {
        // keep the raw key
      }
      return isSensitive(name) ? `${sep}${key}=${REDACTED}` : whole;
    });
  }
  return out;
}

/** A URL object as a string with credentials and sensitive query values removed. */
export function sanitizeUrl(url: URL, isSensitive: SensitiveKeyMatcher): string {
  const copy = new URL(url.href);
  if (copy.username || copy.password) {
    copy.username = REDACTED;
    copy.password = '';
  }
  let changed = false;
  for (const key of new Set(copy.searchParams.keys())) {
    if (isSensitive(key)) {
      copy.searchParams.set(key, REDACTED);
      changed = true;
    }
  }
  const href = copy.href;
  // `[redacted]` is percent-encoded inside a URL; show it readably.
  return changed || copy.username ? href.replace(/%5Bredacted%5D/gi, REDACTED) : href;
}
