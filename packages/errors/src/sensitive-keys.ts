import { invalidOptions, type OptionIssueInput } from './options-error.js';
import { REDACTED } from './sentinels.js';

/** Words separated by whitespace, as an array (long lists stay readable). */
const list = (words: string) => words.trim().split(/\s+/);

export { REDACTED };

/** How to decide which keys are sensitive. */
export interface SensitiveKeyOptions {
  /** Extra key names or fragments (normalised like the defaults) or patterns tested on the raw key. */
  keys?: ReadonlyArray<string | RegExp>;
  /** Replace the built-in rules (credentials and personal data) instead of adding to them. */
  replaceDefaults?: boolean;
  /** Treat personal-data keys (email, phone, date of birth, address, national ids, names, bank accounts) as sensitive. Default true. */
  personalData?: boolean;
}

/** A predicate deciding whether a property name holds a sensitive value. */
export type SensitiveKeyMatcher = (key: string) => boolean;

// The rules (and what is left out, such as a bare `name`): ADR 0014.
/** Matched anywhere in the key once lower-cased and stripped of separators. */
const FRAGMENTS = list(`
  password passwd passphrase passcode secret token authorization cookie apikey
  privatekey credential session cardnumber creditcard securitycode signature
  socialsecurity
`);
/** Matched as one word of the key (`connect.sid`, `cvv2`, `sentryDsn`). */
const WORDS = new Set(['ssn', 'pin', 'cvv', 'cvc', 'otp', 'pwd', 'sid', 'iban', 'dsn']);
/** Matched only as the whole key (as words they would hit `authProvider`, `jwtIssuer`, `timeSpan`). */
const EXACT = new Set(['auth', 'jwt', 'pan']);
/** `<qualifier>…Key(s)`: `encryptionKey`, `BLIND_INDEX_KEY`, `privKey` (but not `cacheKey`). */
const KEY_QUALIFIERS = new Set(
  list('api private priv secret encryption decryption master signing hmac blind wrapping ssh'),
);
/** `<qualifier>Code`: `mfaCode`, `otpCode` (but not `statusCode`). */
const CODE_QUALIFIERS = new Set(
  list('mfa otp totp security verification recovery backup auth reset login'),
);
const NUMBER_WORDS = new Set(['number', 'num', 'no', 'nr']);
const CARD_WORDS = new Set(['cc', 'card', 'credit']);

/** Personal data, matched on the last word of the key (so `emailVerified` is not). */
const PERSONAL_LAST = new Set(
  list(`
  email phone telephone mobile dob birthday birthdate passport street postcode
  postalcode zip zipcode surname nino
`),
);
/** Personal data matched on the end of the joined key (`e_mail`, `postalCode`, `ZIP_CODE`). */
const PERSONAL_ENDINGS = ['email', 'postalcode', 'zipcode', 'postcode', 'phonenumber'];
const NAME_QUALIFIERS = new Set(['first', 'last', 'given', 'family', 'middle', 'full', 'maiden']);
/** Words that make `…Number` personal: `accountNumber`, `passportNumber`, `taxNumber`. */
const NUMBER_OWNERS = new Set(
  list('account passport phone mobile tax national insurance licence license identity'),
);
/** `…Address` is personal unless it is a network or memory address. */
const NOT_POSTAL = new Set(
  list(`
  ip ipv remote local mac server host bind listen socket peer net network proxy
  gateway wallet contract memory base broadcast
`),
);

/** `clientSecret` → `['client', 'secret']`; `HMACKey` → `['hmac', 'key']`; `cvv2` → `['cvv', '2']`. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z\d]+/)
    .filter((w) => w.length > 0);
}

function credentialKey(joined: string, words: string[]): boolean {
  if (EXACT.has(joined) || FRAGMENTS.some((f) => joined.includes(f))) return true;
  if (words.some((w) => WORDS.has(w))) return true;
  const last = words.at(-1);
  const before = words.slice(0, -1);
  if (last === 'key' || last === 'keys') return before.some((w) => KEY_QUALIFIERS.has(w));
  if (last === 'code' || last === 'codes') return before.some((w) => CODE_QUALIFIERS.has(w));
  return last !== undefined && NUMBER_WORDS.has(last) && before.some((w) => CARD_WORDS.has(w));
}

function personalKey(joined: string, words: string[]): boolean {
  if (PERSONAL_ENDINGS.some((e) => joined.endsWith(e))) return true;
  const end = words.length - (words.length > 1 && /^\d+$/.test(words.at(-1) ?? '') ? 1 : 0);
  const last = words[end - 1] ?? '';
  const prev = words[end - 2] ?? '';
  if (PERSONAL_LAST.has(last) || words.includes('birth')) return true;
  if (last === 'address' || (last === 'line' && prev === 'address')) {
    return !words.some((w) => NOT_POSTAL.has(w));
  }
  if (last === 'name') return NAME_QUALIFIERS.has(prev);
  if (NUMBER_WORDS.has(last)) return PERSONAL_LAST.has(prev) || NUMBER_OWNERS.has(prev);
  if (last === 'id' || last === 'identifier' || last === 'identity') {
    return prev === 'national' || prev === 'tax';
  }
  if (last === 'licence' || last === 'license') return /^driv/.test(prev);
  return prev === 'bank' && last === 'account';
}

/**
 * The issues of a `keys` option that is not an array of non-empty strings and
 * RegExps, under `path` (`keys`, or `redact.keys` where another option holds
 * it). A string is not taken as one key: iterating it would add each
 * character (`'ssn'` → `s`, `n`), and guessing is worse than saying so, as
 * pino refuses a string `redact`.
 *
 * @example
 * ```ts
 * import { invalidOptions, sensitiveKeyIssues } from '@plinth/errors';
 *
 * const issues = sensitiveKeyIssues(options.redact?.keys, 'redact.keys');
 * if (issues.length > 0) throw invalidOptions('createThing', issues);
 * ```
 */
export function sensitiveKeyIssues(keys: unknown, path = 'keys'): OptionIssueInput[] {
  if (keys === undefined) return [];
  if (!Array.isArray(keys))
    return [
      { path, message: "must be an array of key names or RegExps (for one key write ['name'])" },
    ];
  const issues: OptionIssueInput[] = [];
  for (let i = 0; i < keys.length; i++) {
    const key: unknown = keys[i];
    if (!(key instanceof RegExp || (typeof key === 'string' && key.length > 0))) {
      issues.push({ path: `${path}.${i}`, message: 'must be a non-empty string or a RegExp' });
    }
  }
  return issues;
}

/** Throws `INVALID_OPTIONS` for the {@link sensitiveKeyIssues} of `options.keys`; `subject` is the function called. */
export function checkKeyOptions(options: SensitiveKeyOptions, subject: string): void {
  const issues = sensitiveKeyIssues(options.keys);
  if (issues.length > 0) throw invalidOptions(subject, issues);
}

const normalise = (key: string) => key.toLowerCase().replace(/[-_.\s]/g, '');
const CACHE_LIMIT = 10_000;

/**
 * Build a key matcher. A key is split into words (camelCase, snake_case,
 * kebab-case, dots) and matched against the credential rules and, unless
 * `personalData: false`, the personal-data rules (ADR 0014,
 * docs/packages/errors.md). Results are cached per key (bounded), so
 * matching the same field names on every log line is a map lookup.
 *
 * @example
 * ```ts
 * import { createSensitiveKeyMatcher } from '@plinth/errors';
 *
 * const isSensitive = createSensitiveKeyMatcher({ keys: ['nickname'], personalData: false });
 * isSensitive('BLIND_INDEX_KEY'); // true
 * isSensitive('email'); // false (personal data switched off)
 * ```
 */
export function createSensitiveKeyMatcher(options: SensitiveKeyOptions = {}): SensitiveKeyMatcher {
  options ??= {};
  checkKeyOptions(options, 'createSensitiveKeyMatcher');
  const builtIn = options.replaceDefaults !== true;
  const personal = builtIn && options.personalData !== false;
  const fragments: string[] = [];
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  for (const key of options.keys ?? []) {
    if (key instanceof RegExp) patterns.push(key);
    else {
      const n = normalise(key);
      if (n.length <= 4) exact.add(n);
      else fragments.push(n);
    }
  }
  const decide = (key: string): boolean => {
    const joined = normalise(key);
    if (exact.has(joined) || fragments.some((f) => joined.includes(f))) return true;
    if (builtIn || personal) {
      const words = keyWords(key);
      if (builtIn && credentialKey(joined, words)) return true;
      if (personal && personalKey(joined, words)) return true;
    }
    return patterns.some((p) => {
      p.lastIndex = 0;
      return p.test(key);
    });
  };
  const cache = new Map<string, boolean>();
  return (key: string): boolean => {
    let hit = cache.get(key);
    if (hit === undefined) {
      hit = decide(key);
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(key, hit);
    }
    return hit;
  };
}

/**
 * The default matcher: credentials and personal data (see
 * {@link createSensitiveKeyMatcher}).
 *
 * @example
 * ```ts
 * import { isSensitiveKey } from '@plinth/errors';
 *
 * isSensitiveKey('X-Api-Key'); // true
 * isSensitiveKey('className'); // false
 * ```
 */
export const isSensitiveKey: SensitiveKeyMatcher = createSensitiveKeyMatcher();
