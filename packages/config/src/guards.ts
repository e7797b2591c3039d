import type { ConfigIssue } from './config-error.js';
import { defaultFor, type Environment, GUARDED_ENVIRONMENTS } from './environment.js';
import type { KeyInfo } from './meta.js';

/** The value a key gets before validation, or the guard that refused it. */
export type Decision =
  | { kind: 'input'; value: unknown }
  | { kind: 'unset' }
  | { kind: 'issue'; issue: ConfigIssue };

function hasDevelopmentDefault(info: KeyInfo): boolean {
  const d = info.envDefaults;
  return d !== undefined && (Object.hasOwn(d, 'development') || Object.hasOwn(d, 'test'));
}

function equalsDevelopmentDefault(info: KeyInfo, raw: string): boolean {
  const d = info.envDefaults ?? {};
  return (['development', 'test'] as const).some(
    (name) => Object.hasOwn(d, name) && String(d[name]) === raw,
  );
}

/**
 * Applies per-environment defaults and the production guards (staging and
 * production): a key whose only defaults are for development/test is
 * required; a secret equal to a development default is refused; a secret
 * never falls back to a zod `.default()`.
 */
export function decide(
  key: string,
  info: KeyInfo,
  raw: string | undefined,
  environment: Environment,
): Decision {
  const guarded = GUARDED_ENVIRONMENTS.includes(environment);
  const guard = (reason: string): Decision => ({
    kind: 'issue',
    issue: { key, path: [], code: 'production_guard', reason },
  });
  if (raw !== undefined) {
    if (guarded && info.secret && equalsDevelopmentDefault(info, raw)) {
      return guard(`is set to its development default, which is refused in ${environment}`);
    }
    return { kind: 'input', value: raw };
  }
  const declared =
    info.envDefaults === undefined ? undefined : defaultFor(info.envDefaults, environment);
  if (declared?.found === true) return { kind: 'input', value: declared.value };
  if (guarded && hasDevelopmentDefault(info) && info.zodDefault === undefined) {
    return guard(`required in ${environment} (its default applies only in development and test)`);
  }
  if (guarded && info.secret && info.zodDefault !== undefined) {
    return guard(`required in ${environment} (a secret's built-in default is not used there)`);
  }
  return { kind: 'unset' };
}
