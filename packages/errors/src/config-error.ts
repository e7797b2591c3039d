import { AppError, type AppErrorDefaults } from './app-error.js';

/** Why a key (or a file, or a provider) is in a {@link ConfigError}. */
export type ConfigIssueCode =
  | 'missing'
  | 'invalid'
  | 'conflict'
  | 'unreadable'
  | 'malformed'
  | 'production_guard'
  | 'provider_failed'
  | 'environment';

/**
 * One problem. `key` is the env variable (or the `.env` file, or
 * `provider:<name>`), `path` the position inside a list/JSON value, `reason`
 * a sentence that never contains the value.
 */
export interface ConfigIssue {
  readonly key: string;
  readonly path: readonly (string | number)[];
  readonly code: ConfigIssueCode;
  readonly reason: string;
}

/**
 * One issue as given, made safe to print: a constructor building an error
 * must not throw (as `new Error(undefined)` does not), so a missing list or a
 * malformed entry becomes a readable issue instead of a TypeError.
 */
function normaliseIssue(issue: unknown): ConfigIssue {
  const i = (typeof issue === 'object' && issue !== null ? issue : {}) as Partial<ConfigIssue>;
  return {
    ...i,
    key: typeof i.key === 'string' && i.key !== '' ? i.key : '(unknown key)',
    path: Array.isArray(i.path)
      ? i.path.map((p: unknown) => (typeof p === 'number' ? p : String(p)))
      : [],
    code: typeof i.code === 'string' && (i.code as string) !== '' ? i.code : 'invalid',
    reason: typeof i.reason === 'string' && i.reason !== '' ? i.reason : 'is invalid',
  };
}

function label(issue: ConfigIssue): string {
  return issue.path.length === 0 ? issue.key : `${issue.key}.${issue.path.join('.')}`;
}

function compare(a: ConfigIssue, b: ConfigIssue): number {
  const byKey = label(a).localeCompare(label(b), 'en');
  return byKey !== 0 ? byKey : a.reason.localeCompare(b.reason, 'en');
}

/**
 * 500: the service's configuration cannot be used, with every problem at
 * once, sorted by key. Thrown by `@plinth/config`'s `loadConfig` and by every
 * package's `./config` fragment parser (`OTEL_*` in `@plinth/telemetry`), so
 * one `instanceof ConfigError` catches them all. The message lists
 * `KEY: reason` per line; `issues` is the same data for code. No value of
 * any key — secret or not — appears in it. Like `new Error()`, building
 * one never throws: a missing issue list gives `Invalid configuration (no
 * problems were listed)`, and an entry without a key, reason or code
 * is shown as `(unknown key)`, `is invalid`, `invalid`.
 *
 * @example
 * ```ts
 * import { ConfigError } from '@plinth/errors';
 * import { loadConfig } from '@plinth/config';
 * import { z } from 'zod';
 *
 * try {
 *   await loadConfig({ schema: z.object({ PORT: z.string() }), env: {} });
 * } catch (error) {
 *   if (error instanceof ConfigError) console.error(error.issues.map((i) => i.key));
 * }
 * ```
 */
export class ConfigError extends AppError {
  static override defaults: AppErrorDefaults = {
    code: 'CONFIG_INVALID',
    status: 500,
    title: 'Invalid configuration',
    message: 'Invalid configuration',
    severity: 'critical',
    description:
      'The service started with configuration it cannot use (a missing or malformed environment variable, `.env` file or secret provider). `issues[]` names each key and why, never a value; it happens at start-up, so clients see it only as a plain 500 if a service catches it late. Fix the deployment.',
  };

  /** Every problem, sorted by key then reason. */
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], options: { cause?: unknown } = {}) {
    const sorted = Object.freeze(
      (Array.isArray(issues) ? issues : [])
        .map(normaliseIssue)
        .sort(compare)
        .map((issue) => Object.freeze({ ...issue, path: Object.freeze([...issue.path]) })),
    );
    const count = sorted.length === 1 ? '1 problem' : `${sorted.length} problems`;
    const lines = sorted.map((issue) => `  ${label(issue)}: ${issue.reason}`);
    const cause = options?.cause;
    super(
      // No issues at all is a caller's bug, but the error still has to say something.
      sorted.length === 0
        ? 'Invalid configuration (no problems were listed)'
        : `Invalid configuration (${count}):\n${lines.join('\n')}`,
      {
        expose: false,
        details: { issues: sorted },
        ...(cause === undefined ? {} : { cause }),
      },
    );
    this.issues = sorted;
  }

  /** Alias of `issues`, in the `{ path, message, code }` shape of `ValidationError.errors`. */
  get errors(): readonly { path: string; message: string; code: string }[] {
    return this.issues.map((issue) => ({
      path: label(issue),
      message: issue.reason,
      code: issue.code,
    }));
  }
}
