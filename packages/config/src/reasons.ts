import type { z } from 'zod';
import type { ConfigIssue } from './config-error.js';
import { SAFE_MESSAGE } from './primitives/env-string.js';

type Issue = z.core.$ZodIssue;

/** What the formatter knows about the key an issue belongs to. */
export interface IssueSubject {
  raw: unknown;
  secret: boolean;
}

/** Raw values of every secret key: no untrusted message may contain them. */
type SecretValues = readonly string[];

const ARTICLE = (word: string) => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`);

function bound(
  kind: 'min' | 'max',
  issue: { origin?: string; inclusive?: boolean },
  limit: unknown,
) {
  const words = kind === 'min' ? 'at least' : 'at most';
  if (issue.origin === 'string') return `must be ${words} ${String(limit)} characters`;
  if (issue.origin === 'array' || issue.origin === 'set') {
    return `must have ${words} ${String(limit)} items`;
  }
  const strict = issue.inclusive === false;
  const op = kind === 'min' ? (strict ? '>' : '≥') : strict ? '<' : '≤';
  return `must be ${op} ${String(limit)}`;
}

/**
 * Could `message` contain (part of) the value? For secrets, any 4-character
 * run of the value counts, so not even a fragment can leak; for other keys,
 * the whole value. A false positive only costs a less specific message.
 */
function mayEcho(message: string, raw: unknown, secret: boolean): boolean {
  if (typeof raw !== 'string' || raw === '') return false;
  if (!secret) return raw.length >= 3 && message.includes(raw);
  if (raw.length <= 4) return message.includes(raw);
  for (let i = 0; i + 4 <= raw.length; i += 1) {
    if (message.includes(raw.slice(i, i + 4))) return true;
  }
  return false;
}

function reasonFor(issue: Issue, subject: IssueSubject, secrets: SecretValues): string {
  switch (issue.code) {
    case 'invalid_type':
      if (subject.raw === undefined) return 'required';
      if (issue.expected === 'number' || issue.expected === 'boolean') {
        return `must be ${ARTICLE(issue.expected)} (env values are strings: parse them with int(), num() or bool())`;
      }
      return `must be ${ARTICLE(String(issue.expected))}`;
    case 'too_small':
      return bound('min', issue, issue.minimum);
    case 'too_big':
      return bound('max', issue, issue.maximum);
    case 'invalid_format':
      return issue.format === 'regex' && !subject.secret
        ? `must match ${String((issue as { pattern?: unknown }).pattern)}`
        : `must be a valid ${issue.format}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_value':
      return subject.secret
        ? 'is not an allowed value'
        : `must be one of: ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'unrecognized_keys':
      return subject.secret ? 'has unknown keys' : `has unknown keys: ${issue.keys.join(', ')}`;
    case 'invalid_union':
      return 'does not match any allowed form';
    default: {
      const trusted = issue.code === 'custom' && issue.params?.[SAFE_MESSAGE] === true;
      if (trusted) return issue.message;
      const echoes =
        mayEcho(issue.message, subject.raw, subject.secret) ||
        secrets.some((value) => mayEcho(issue.message, value, true));
      return echoes ? 'is invalid' : issue.message;
    }
  }
}

/** Turns zod issues into config issues; `subjects` maps each top-level key. */
export function fromZodIssues(
  issues: readonly Issue[],
  subjects: ReadonlyMap<string, IssueSubject>,
): ConfigIssue[] {
  const secrets = [...subjects.values()]
    .filter((s) => s.secret && typeof s.raw === 'string')
    .map((s) => s.raw as string);
  const seen = new Set<string>();
  return issues.flatMap((issue) => {
    const [first, ...rest] = issue.path;
    const key = first === undefined ? '(config)' : String(first);
    const subject = subjects.get(key) ?? { raw: undefined, secret: false };
    // Inside a secret, a path segment may be one of its keys (`API_KEYS.ak_live_…`): drop it.
    const path = subject.secret ? [] : rest.map((p) => (typeof p === 'number' ? p : String(p)));
    const reason = reasonFor(issue, subject, secrets);
    const id = JSON.stringify([key, path, reason]);
    if (seen.has(id)) return [];
    seen.add(id);
    const code = issue.code === 'invalid_type' && subject.raw === undefined ? 'missing' : 'invalid';
    return [{ key, path, code, reason } satisfies ConfigIssue];
  });
}
