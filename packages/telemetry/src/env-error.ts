import { AppError, type AppErrorDefaults } from '@plinth/errors';

const NO_PATH: readonly (string | number)[] = Object.freeze([]);

/** One `OTEL_*` variable that cannot be parsed, in the shape of `@plinth/config`'s `ConfigIssue`. */
export interface EnvIssue {
  readonly key: string;
  /** Always empty: a variable is reported as a whole. */
  readonly path: readonly (string | number)[];
  readonly code: 'invalid';
  readonly reason: string;
}

/**
 * `@plinth/config`'s `ConfigError`, built here because the root entry must
 * load without that optional peer: the same name, code (`CONFIG_INVALID`),
 * status, severity, message layout and `issues`, so `isAppError(error) &&
 * error.code === 'CONFIG_INVALID'` catches both. Only `instanceof` against
 * `@plinth/config`'s class is false; `@plinth/telemetry/config` rethrows as
 * that class. Reasons never contain a value (header values are credentials).
 */
export class EnvConfigError extends AppError {
  static override defaults: AppErrorDefaults = {
    code: 'CONFIG_INVALID',
    status: 500,
    title: 'Invalid configuration',
    message: 'Invalid configuration',
    severity: 'critical',
  };

  /** Every problem, sorted by variable then reason, each listed once. */
  readonly issues: readonly EnvIssue[];

  constructor(problems: readonly { key: string; reason: string }[]) {
    const unique = new Map(problems.map((p) => [`${p.key}\n${p.reason}`, p]));
    const issues = Object.freeze(
      [...unique.values()]
        .sort((a, b) => a.key.localeCompare(b.key, 'en') || a.reason.localeCompare(b.reason, 'en'))
        .map(
          ({ key, reason }): EnvIssue =>
            Object.freeze({ key, path: NO_PATH, code: 'invalid', reason }),
        ),
    );
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    const lines = issues.map((issue) => `  ${issue.key}: ${issue.reason}`);
    super(`Invalid configuration (${count}):\n${lines.join('\n')}`, {
      expose: false,
      details: { issues },
    });
    // The class's own name would do, unless a bundler renames it next to the real one.
    this.name = 'ConfigError';
    this.issues = issues;
  }

  /** Alias of `issues` in the `{ path, message, code }` shape, as on `@plinth/config`'s class. */
  get errors(): readonly { path: string; message: string; code: string }[] {
    return this.issues.map((issue) => ({
      path: issue.key,
      message: issue.reason,
      code: issue.code,
    }));
  }
}
