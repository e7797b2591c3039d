import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { type ConfigIssue, keyIssue } from './config-error.js';
import { type Environment, GUARDED_ENVIRONMENTS } from './environment.js';
import { type KeyInfo, ownMeta, setMeta } from './meta.js';
import { isSecret } from './secret.js';

/**
 * Refuses a value in staging and production when `refuse` returns true for
 * what `schema` parsed it into (the effective value: trimmed, decoded, wrapped
 * in a `Secret` if the schema does that), whatever its spelling. `reason`
 * describes the rule, never the value: the issue reads
 * `KEY: <reason>, which is refused in production`. `refuse` may be async; one
 * that throws (or rejects) refuses too. Guards stack; development and test
 * are not checked.
 *
 * @example
 * ```ts
 * import { refuseInProduction, secret } from '@plinth/config';
 * import { z } from 'zod';
 *
 * const DEV_KEY = Buffer.from('cGxpbnRoLWRldi1vbmx5LWJsaW5kLWluZGV4LWtleTE=', 'base64');
 * const BLIND_INDEX_KEY = refuseInProduction(
 *   secret(z.string().transform((text) => Buffer.from(text.trim(), 'base64'))),
 *   (key) => key.reveal().equals(DEV_KEY),
 *   'holds the development key',
 * );
 * ```
 */
export function refuseInProduction<S extends z.core.$ZodType>(
  schema: S,
  refuse: (value: z.output<S>) => boolean | Promise<boolean>,
  reason = 'holds a development value',
): S {
  const refusals = [...(ownMeta(schema).refusals ?? []), { refuse, reason }];
  return setMeta(z.core.util.clone(schema), { refusals });
}

/**
 * Data deep equality sees whole: primitives, byte arrays, arrays and plain
 * objects. A class instance may keep its state in private fields, where two
 * different values compare equal, so it is never compared.
 */
function isPlainData(value: unknown, depth = 0): boolean {
  if (typeof value !== 'object' || value === null) return typeof value !== 'function';
  if (ArrayBuffer.isView(value)) return true;
  const proto = Object.getPrototypeOf(value);
  if (depth > 16 || (!Array.isArray(value) && proto !== Object.prototype && proto !== null)) {
    return false;
  }
  return Object.values(value).every((item) => isPlainData(item, depth + 1));
}

/** The parsed value, revealed if a `Secret`; undefined when it does not parse or is not plain data. */
async function effective(schema: z.core.$ZodType, input: unknown): Promise<unknown> {
  const result = await z.safeParseAsync(schema, input);
  const value = result.success && isSecret(result.data) ? result.data.reveal() : result.data;
  return result.success && isPlainData(value) ? value : undefined;
}

/** A secret set to a development/test default: the same text up to surrounding space, or the same parsed value. */
async function isDevelopmentDefault(schema: z.core.$ZodType, info: KeyInfo, raw: string) {
  const defaults = info.envDefaults ?? {};
  const actual = await effective(schema, raw);
  for (const name of ['development', 'test'] as const) {
    if (!Object.hasOwn(defaults, name)) continue;
    const value = defaults[name];
    if (typeof value === 'string' && value.trim() === raw.trim()) return true;
    if (actual !== undefined && isDeepStrictEqual(actual, await effective(schema, value))) {
      return true;
    }
  }
  return false;
}

async function refusedBy(info: KeyInfo, raw: string): Promise<string | undefined> {
  for (const { schema, refusal } of info.refusals) {
    const result = await z.safeParseAsync(schema, raw);
    if (!result.success || result.data === undefined) continue;
    try {
      if (!(await refusal.refuse(result.data as never))) continue;
    } catch {
      // Fail closed: accepting development material in production is the costly mistake.
    }
    return refusal.reason;
  }
  return undefined;
}

/**
 * The production-guard issue for a key set from a source, judged on
 * effective values: a secret equal to its development default after parsing,
 * or a value a `refuseInProduction` guard refuses. Undefined when allowed.
 */
export async function guardValue(
  key: string,
  schema: z.core.$ZodType,
  info: KeyInfo,
  raw: string,
  environment: Environment,
): Promise<ConfigIssue | undefined> {
  if (!GUARDED_ENVIRONMENTS.includes(environment)) return undefined;
  const reason =
    info.secret && (await isDevelopmentDefault(schema, info, raw))
      ? 'is set to its development default'
      : await refusedBy(info, raw);
  return reason === undefined
    ? undefined
    : keyIssue(key, 'production_guard', `${reason}, which is refused in ${environment}`);
}
