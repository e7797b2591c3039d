import { invalidOptions, requireOptionsObject } from './options-error.js';
import { scrubPersonalShapes } from './personal-text.js';
import { looksRandom, scrubUrls } from './sanitize-strings.js';
import {
  checkKeyOptions,
  createSensitiveKeyMatcher,
  isSensitiveKey,
  REDACTED,
  type SensitiveKeyMatcher,
  type SensitiveKeyOptions,
} from './sensitive-keys.js';
import { mayHoldSecret } from './text-triggers.js';

// Every pattern below is linear in the input: a match may only start after a
// character its body cannot contain (the look-behind), so one body scan never
// overlaps the next start, and no quantified group can match the same text
// two ways. `sanitize-text.test.ts` runs each on 1 MB adversarial strings.

/**
 * Well-known credential shapes, matched anywhere in a string:
 * AWS access key ids, Stripe secret/restricted keys, GitHub tokens, Slack
 * tokens, Google API keys and JWTs (`eyJ….eyJ….…`).
 */
const TOKENS = new RegExp(
  [
    '(?<![A-Za-z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9])',
    '(?<![A-Za-z0-9_])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}',
    '(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\\w{20,})',
    '(?<![A-Za-z0-9-])xox[abprs]-[A-Za-z0-9-]{10,}',
    '(?<![\\w-])AIza[\\w-]{35}(?![\\w-])',
    '(?<![\\w.-])eyJ[\\w-]+\\.eyJ[\\w-]*(?:\\.[\\w-]*)?',
  ].join('|'),
  'g',
);
const TOKEN_HINT = /AKIA|ASIA|[sr]k_|gh[pousr]_|github_pat_|xox[abprs]-|AIza|eyJ/;

const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----/y;
const PEM_END = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY-----/y;

/** `Bearer <token>` / `Basic <token>` inside free text, when the token looks random. */
const AUTH_IN_TEXT = /(?<![\w-])((?:bearer|basic)[ \t]+)([\w.~+/-]{8,}=*)/gi;

/**
 * `key=value`, `key: value`, `"key": "value"`, `'key'='value'`. The key is a
 * word (letters, digits, `_`, `.`, `-`, up to 128 chars, optionally quoted);
 * the value is a quoted string (escapes allowed, no line break) or a run of
 * characters up to whitespace or one of `"',;&<>(){}[]` (and, in this scan,
 * `=` and `:` so the next pair is not swallowed), optionally after an auth
 * scheme (`Authorization: Bearer …`).
 */
const PAIR =
  /(?<![\w.-])(["']?)(\w[\w.-]{0,127})\1([ \t]{0,8}([:=])[ \t]{0,8})(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|((?:bearer|basic|token)[ \t]+)?([^\s"',;&<>(){}[\]=:]+))?/gi;
/** A redacted bare value runs on through `=` and `:` (`password=a:b=c`). */
const BARE_REST = /[^\s"',;&<>(){}[\]]*/y;

/** Replace every private-key PEM block; an unterminated one is redacted to the end. */
function scrubPem(value: string): string {
  let out = '';
  let from = 0;
  let at = value.indexOf('-----BEGIN ');
  while (at !== -1) {
    PEM_BEGIN.lastIndex = at;
    if (!PEM_BEGIN.test(value)) {
      at = value.indexOf('-----BEGIN ', at + 1);
      continue;
    }
    let end = value.indexOf('-----END ', PEM_BEGIN.lastIndex);
    while (end !== -1) {
      PEM_END.lastIndex = end;
      if (PEM_END.test(value)) break;
      end = value.indexOf('-----END ', end + 1);
    }
    out += `${value.slice(from, at)}${REDACTED}`;
    // No END marker: a truncated key is still a key.
    if (end === -1) return out;
    from = PEM_END.lastIndex;
    at = value.indexOf('-----BEGIN ', from);
  }
  return from === 0 ? value : out + value.slice(from);
}

function scrubPairs(value: string, isSensitive: SensitiveKeyMatcher): string {
  let out = '';
  let from = 0;
  let next = 0;
  for (;;) {
    // Set before every exec: a custom matcher could itself call sanitize.
    PAIR.lastIndex = next;
    const m = PAIR.exec(value);
    if (m === null) break;
    const [whole, quote = '', key = '', sep = '', op, dq, sq, scheme, bare] = m;
    const valueAt = m.index + quote.length * 2 + key.length + sep.length;
    // Without a sensitive key, resume right after the separator: the value
    // may itself start the next pair (`note: password=…`).
    next = valueAt;
    if (whole.length === valueAt - m.index || !isSensitive(key)) continue;
    let end = m.index + whole.length;
    let replacement: string;
    if (dq !== undefined) replacement = `"${REDACTED}"`;
    else if (sq !== undefined) replacement = `'${REDACTED}'`;
    else {
      BARE_REST.lastIndex = end;
      BARE_REST.test(value);
      end = BARE_REST.lastIndex;
      const token = value.slice(valueAt + (scheme?.length ?? 0), end);
      // `password: must be 8 chars` is prose; `password: hunter2` is not.
      if (op === ':' && !quote && !scheme && !looksRandom(token)) continue;
      if (token === REDACTED || bare === undefined) continue;
      replacement = `${scheme ?? ''}${REDACTED}`;
    }
    out += value.slice(from, valueAt) + replacement;
    from = end;
    next = end;
  }
  return from === 0 ? value : out + value.slice(from);
}

/**
 * JSON encoded again inside a string (`{\\"password\\":\\"x\\"}`): scan the
 * pairs of the unescaped text, up to three levels deep. When something is
 * redacted the result keeps the unescaped form.
 */
function scrubEscaped(value: string, isSensitive: SensitiveKeyMatcher): string {
  let text = value;
  let changed = false;
  for (let level = 0; level < 3 && /\\["'\\]/.test(text); level++) {
    const inner = text.replace(/\\(["'\\])/g, '$1');
    const scrubbed = scrubPairs(inner, isSensitive);
    changed ||= scrubbed !== inner;
    text = scrubbed;
  }
  return changed ? text : value;
}

/**
 * Redact credentials found by shape anywhere inside `value`, keeping the
 * surrounding text (rules: ADR 0012, docs/packages/errors.md). Returns
 * `value` itself (no scan) when it holds none of the trigger characters.
 */
export function scrubString(
  value: string,
  isSensitive: SensitiveKeyMatcher,
  personalData = true,
): string {
  if (value.length < 5) return value;
  let out = value;
  if (out.includes('-----BEGIN ')) out = scrubPem(out);
  if (TOKEN_HINT.test(out)) out = out.replace(TOKENS, REDACTED);
  out = scrubUrls(out, isSensitive);
  if (/bearer|basic/i.test(out)) {
    out = out.replace(AUTH_IN_TEXT, (whole: string, scheme: string, token: string) =>
      looksRandom(token) ? `${scheme}${REDACTED}` : whole,
    );
  }
  if (out.includes('=') || out.includes(':')) {
    out = scrubPairs(out, isSensitive);
    if (out.includes('\\')) out = scrubEscaped(out, isSensitive);
  }
  return personalData ? scrubPersonalShapes(out) : out;
}

/** Options for {@link scrubText}. */
export interface ScrubTextOptions extends SensitiveKeyOptions {
  /** Characters kept, a positive integer (or `Infinity`: no cut); the rest is dropped before the scan, so the work is bounded. Default 4096. `personalData: false` also keeps card numbers and IBANs. */
  maxLength?: number;
}

/** Extra characters scanned past `maxLength`, so a credential cut by the limit is still seen whole. */
const LOOKAHEAD = 256;

/**
 * Redact secrets inside free text (an error message, a probe's output, a
 * database error's detail): credential shapes (URL userinfo, sensitive query
 * parameters, JWTs, `Bearer …`, cloud and API tokens, private-key PEM
 * blocks), the values of sensitive `key=value` / `key: value` /
 * `"key": "value"` pairs, and by default card numbers and IBANs. The text is
 * cut to `maxLength` before anything is scanned and every pattern is linear,
 * so the cost is bounded whatever the input. The result is at most
 * `maxLength` characters long. Never throws on odd text; bad options (a
 * `maxLength` that is not a positive integer or `Infinity`, a `keys` that is not an array
 * of non-empty strings and RegExps) throw an `OptionsError`
 * (`INVALID_OPTIONS`).
 *
 * @example
 * ```ts
 * import { scrubText } from '@plinth/errors';
 *
 * scrubText('connect postgres://app:hunter2@db/app failed'); // 'connect postgres://[redacted]@db/app failed'
 * scrubText(err.message, { maxLength: 200 });
 * ```
 */
export function scrubText(text: string, options: ScrubTextOptions = {}): string {
  requireOptionsObject(options, 'scrubText');
  const max = options.maxLength ?? 4096;
  // Infinity stays allowed (no cut; every pattern is still linear), as in createSanitizer's limits.
  if (!(max === Infinity || (Number.isSafeInteger(max) && max >= 1))) {
    throw invalidOptions('scrubText', {
      path: 'maxLength',
      message: 'must be a positive integer or Infinity',
    });
  }
  checkKeyOptions(options, 'scrubText');
  const value = typeof text === 'string' ? text : String(text);
  const isSensitive =
    options.keys || options.replaceDefaults || options.personalData === false
      ? createSensitiveKeyMatcher(options)
      : isSensitiveKey;
  const window = value.length > max + LOOKAHEAD ? value.slice(0, max + LOOKAHEAD) : value;
  // Most text holds nothing the scanner could change: the pre-check (held to the scanner by a
  // property test, for any key matcher) skips the scan for it.
  const out = mayHoldSecret(window)
    ? scrubString(window, isSensitive, options.personalData !== false)
    : window;
  return out.length > max ? out.slice(0, max) : out;
}
