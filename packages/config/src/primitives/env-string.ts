import { z } from 'zod';
import { type PlinthMeta, setMeta } from '../meta.js';

/** A schema that takes an environment string and outputs `T`. */
export type EnvPrimitive<T> = z.ZodPipe<z.ZodString, z.ZodTransform<T, string>>;

/** Result of parsing one env string. `reason` never contains the input. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

export const ok = <T>(value: T): ParseResult<T> => ({ ok: true, value });
export const fail = (reason: string): ParseResult<never> => ({ ok: false, reason });

/**
 * Issues we raise carry this param: their message is ours and never contains
 * the input, so the error formatter may show it even for secret keys.
 */
export const SAFE_MESSAGE = 'plinthSafeMessage';

/** Adds an issue whose message is known not to contain the input. */
export function safeIssue(ctx: { issues: unknown[] }, message: string, path: PropertyKey[] = []) {
  // No `input` on the issue: the raw value must not travel with the error.
  ctx.issues.push({ code: 'custom', message, path, params: { [SAFE_MESSAGE]: true } });
}

/**
 * Builds an env-string primitive: the input is trimmed, then `parse` decides.
 * Used by every primitive so that messages are uniform and never echo input.
 */
export function envPrimitive<T>(
  parse: (text: string) => ParseResult<T>,
  meta: PlinthMeta,
): EnvPrimitive<T> {
  const schema = z.string().transform((raw, ctx) => {
    const result = parse(raw.trim());
    if (result.ok) return result.value;
    safeIssue(ctx, result.reason);
    return z.NEVER;
  });
  return setMeta(schema, meta);
}
