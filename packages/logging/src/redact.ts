import {
  createSanitizer,
  createSensitiveKeyMatcher,
  isSensitiveKey,
  type OptionIssueInput,
  type SanitizeOptions,
  type SensitiveKeyMatcher,
  sensitiveKeyIssues,
} from '@plinth/errors';

/** How log objects are redacted: the `@plinth/errors` engine's options. Every default is listed here. */
export interface RedactOptions
  extends Pick<
    SanitizeOptions,
    'keys' | 'replaceDefaults' | 'maxDepth' | 'maxArrayLength' | 'maxKeys' | 'maxStringLength'
  > {
  /**
   * Redact personal data (email, phone, date of birth, address, national
   * ids, names, card numbers, IBANs; by key, and card numbers and IBANs
   * inside strings). Default true. ADR 0014 lists the keys.
   */
  personalData?: boolean;
  /** Exact pino redaction paths (`'req.body.note'`, `'*.ssn'`), applied on top. Default none. */
  paths?: readonly string[];
}

/** The logger's use of the one redaction engine. */
export interface Redaction {
  /** Copy-on-write redaction of any value: returns it unchanged when nothing needs redacting. */
  readonly value: (value: unknown) => unknown;
  readonly isSensitive: SensitiveKeyMatcher;
}

/**
 * The `@plinth/errors` sanitizer in copy-on-write mode with stacks, so a log
 * line without secrets costs one walk and no allocation, and `sanitize` and
 * the logger can never disagree about what is secret.
 */
export function createRedaction(options: RedactOptions = {}): Redaction {
  const o = options ?? {};
  const isSensitive =
    o.keys?.length || o.replaceDefaults || o.personalData === false
      ? createSensitiveKeyMatcher(o)
      : isSensitiveKey;
  const value = createSanitizer({
    ...o,
    matcher: isSensitive,
    includeStack: true,
    shareUnchanged: true,
  });
  return { value, isSensitive };
}

/**
 * Shapes TypeScript would catch but JavaScript callers get wrong silently:
 * `keys: 'ssn'` would be read one character at a time. `prefix` is the
 * option's path (`'redact.'` in createLogger; `''` in createLogSerializer,
 * whose whole options argument `requireOptionsObject` has already checked).
 * The engine checks the limits.
 */
export function redactIssues(redact: unknown, prefix: string): OptionIssueInput[] {
  if (redact === undefined || redact === null) return [];
  if (typeof redact !== 'object' || Array.isArray(redact)) {
    return [{ path: prefix.replace(/\.$/, ''), message: 'must be an object' }];
  }
  const { keys, paths } = redact as { keys?: unknown; paths?: unknown };
  const issues = sensitiveKeyIssues(keys, `${prefix}keys`);
  if (paths !== undefined && !(Array.isArray(paths) && paths.every((p) => typeof p === 'string'))) {
    issues.push({ path: `${prefix}paths`, message: 'must be an array of pino path strings' });
  }
  return issues;
}
