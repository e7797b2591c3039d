import type { AppErrorDefaults } from './app-error.js';
import { InternalError } from './http-errors.js';
import type { AppErrorOptions, ValidationIssue } from './types.js';

/** One problem with a developer's options; the same shape as a `ValidationIssue`. */
export type OptionIssue = ValidationIssue;

/**
 * 500: a developer passed options that would make a call misbehave (wrong
 * type, out of range, a missing pair). It is a bug in the calling service, not
 * something a client sent, so it is never exposed: the client sees a plain 500.
 * `issues[]` lists each problem by option path; messages never carry the value.
 * Create it with {@link invalidOptions}.
 *
 * @example
 * ```ts
 * import { isAppError } from '@plinth/errors';
 *
 * try { createThing({ timeoutMs: -1 }); }
 * catch (err) { if (isAppError(err) && err.code === 'INVALID_OPTIONS') console.error(err.toJSON()); }
 * ```
 */
export class OptionsError extends InternalError {
  static override defaults: AppErrorDefaults = {
    code: 'INVALID_OPTIONS',
    status: 500,
    title: 'Internal Server Error',
    message: 'Invalid options',
    severity: 'error',
    description:
      'A Plinth function was called with options that would make it misbehave (a wiring bug in the service). `issues[]` names each option and why; the client sees only the title. Fix the calling code.',
  };
  /** Each problem, by option path (`pool.max`); never the rejected value. */
  readonly issues: readonly OptionIssue[];

  constructor(
    message?: string,
    options: AppErrorOptions & { issues?: readonly OptionIssue[] } = {},
  ) {
    const { issues, ...rest } = options ?? {};
    super(message, rest);
    this.issues = Object.freeze(
      (Array.isArray(issues) ? issues : []).map((issue: OptionIssue) =>
        Object.freeze({ path: issue.path, message: issue.message, code: issue.code }),
      ),
    );
  }

  override toJSON() {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/** An issue for {@link invalidOptions}: a bare message, or a path with a message (and optional code). */
export type OptionIssueInput =
  | string
  | { readonly path?: string; readonly message: string; readonly code?: string };

/**
 * The one way Plinth packages report a developer's bad options: an
 * {@link OptionsError} (500, code `INVALID_OPTIONS`, not exposed) whose
 * message is `<subject>: <issue>; <issue>` and whose `issues[]` lists each one.
 * Never put the rejected value in an issue message: options carry secrets.
 * Like an error constructor it never throws, so `throw invalidOptions(…)`
 * cannot turn into a TypeError: a missing subject reads `Options`, missing
 * issues read `invalid options (no issue was given)`, and an issue without a
 * message reads `is invalid`.
 *
 * @example
 * ```ts
 * import { invalidOptions } from '@plinth/errors';
 *
 * if (!(timeoutMs > 0)) throw invalidOptions('createHealth', [{ path: 'timeoutMs', message: 'must be a positive number' }]);
 * ```
 */
export function invalidOptions(
  subject: string,
  issues: OptionIssueInput | readonly OptionIssueInput[],
  options: Pick<AppErrorOptions, 'cause' | 'code'> = {},
): OptionsError {
  const given: unknown = issues;
  const list: readonly unknown[] = Array.isArray(given)
    ? given
    : given === undefined || given === null
      ? []
      : [given];
  const normalised = list.map(normaliseIssue);
  const text =
    normalised.length === 0
      ? 'invalid options (no issue was given)'
      : normalised.map((i) => (i.path ? `${i.path} ${i.message}` : i.message)).join('; ');
  const name = typeof subject === 'string' && subject !== '' ? subject : 'Options';
  const extra = typeof options === 'object' && options !== null ? options : {};
  return new OptionsError(`${name}: ${text}`, { ...extra, issues: normalised });
}

/** One issue as given, made printable: building an error must not throw on a malformed call. */
function normaliseIssue(issue: unknown): OptionIssue {
  if (typeof issue === 'string') return { path: '', message: issue, code: 'invalid_option' };
  const i = (typeof issue === 'object' && issue !== null ? issue : {}) as Partial<OptionIssue>;
  return {
    path: typeof i.path === 'string' ? i.path : '',
    message: typeof i.message === 'string' && i.message !== '' ? i.message : 'is invalid',
    code: typeof i.code === 'string' ? i.code : 'invalid_option',
  };
}

/**
 * The one check of a whole options argument: returns `options` itself when it
 * is a non-null, non-array object; otherwise (missing, `null`, a primitive,
 * an array or a function) throws {@link invalidOptions} with path `options`
 * and the message `must be an object` (`must be an object with <holds>` when
 * `holds` names what it must contain). The rejected value is never part of
 * the message. A function whose options may be left out applies its default
 * first (a default parameter, or `options ?? {}`), then calls this.
 *
 * @example
 * ```ts
 * import { requireOptionsObject } from '@plinth/errors';
 *
 * export function createThing(options: ThingOptions) {
 *   const { db, timeoutMs = 500 } = requireOptionsObject(options, 'createThing', 'a db');
 *   // createThing(undefined) throws INVALID_OPTIONS: "createThing: options must be an object with a db"
 * }
 * ```
 */
export function requireOptionsObject<T>(
  options: T,
  subject: string,
  holds?: string,
): NonNullable<T> {
  if (!isOptionsObject(options)) {
    throw invalidOptions(subject, {
      path: 'options',
      message: holds ? `must be an object with ${holds}` : 'must be an object',
    });
  }
  return options as NonNullable<T>;
}

/**
 * What {@link requireOptionsObject} accepts: a non-null object that is not an
 * array (nor a function). For a nested option (`cors`, `cache`) checked
 * among others, where the issue names the option's own path.
 *
 * @example
 * ```ts
 * import { isOptionsObject } from '@plinth/errors';
 *
 * if (o.cors !== undefined && !isOptionsObject(o.cors)) issues.push({ path: 'cors', message: 'must be an object' });
 * ```
 */
export function isOptionsObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
