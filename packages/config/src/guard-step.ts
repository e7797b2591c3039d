import type { ConfigIssue } from './config-error.js';
import type { Environment } from './environment.js';
import { decide } from './guards.js';
import type { KeyInfo } from './meta.js';

/** Writes the key's input (raw or default) or records a guard issue; false when refused. */
export function guardAndDefault(
  key: string,
  info: KeyInfo,
  raw: string | undefined,
  environment: Environment,
  input: Record<string, unknown>,
  issues: ConfigIssue[],
): boolean {
  const decision = decide(key, info, raw, environment);
  if (decision.kind === 'issue') {
    issues.push(decision.issue);
    return false;
  }
  if (decision.kind === 'input') input[key] = decision.value;
  return true;
}
