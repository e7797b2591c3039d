import { type ConfigIssue, keyIssue } from './config-error.js';
import { defaultFor, type Environment, GUARDED_ENVIRONMENTS } from './environment.js';
import type { KeyInfo } from './meta.js';

/** The value an unset key gets before validation, or the guard that refused it. */
export type Decision =
  | { kind: 'input'; value: unknown }
  | { kind: 'unset' }
  | { kind: 'issue'; issue: ConfigIssue };

/**
 * Applies per-environment defaults to a key no source sets, and the guards
 * for unset keys in staging and production: a key whose only defaults are
 * for development/test is required there; a secret never falls back to a zod
 * `.default()` there. (Values that are set are judged after parsing, in
 * `guardValue`.)
 */
export function decideUnset(key: string, info: KeyInfo, environment: Environment): Decision {
  const d = info.envDefaults;
  const declared = d === undefined ? undefined : defaultFor(d, environment);
  if (declared?.found === true) return { kind: 'input', value: declared.value };
  if (!GUARDED_ENVIRONMENTS.includes(environment)) return { kind: 'unset' };
  const guard = (reason: string): Decision => ({
    kind: 'issue',
    issue: keyIssue(key, 'production_guard', reason),
  });
  const devOnly = d !== undefined && (Object.hasOwn(d, 'development') || Object.hasOwn(d, 'test'));
  if (devOnly && info.zodDefault === undefined) {
    return guard(`required in ${environment} (its default applies only in development and test)`);
  }
  if (info.secret && info.zodDefault !== undefined) {
    return guard(`required in ${environment} (a secret's built-in default is not used there)`);
  }
  return { kind: 'unset' };
}
