import { z } from 'zod';
import { setMeta } from '../meta.js';
import { safeIssue } from './env-string.js';

/** A schema that takes a JSON env string and outputs what `inner` outputs. */
export type EnvJson<Inner extends z.core.$ZodType> = z.ZodPipe<
  z.ZodPipe<z.ZodString, z.ZodTransform<unknown, string>>,
  Inner
>;

/**
 * JSON from an env string, then validated by `inner` (default: any JSON
 * value). Parse errors say only "must be valid JSON": engine messages quote
 * the input, which may be a secret.
 *
 * @example
 * ```ts
 * import { json } from '@plinth/config';
 * import { z } from 'zod';
 *
 * const FEATURE_FLAGS = json(z.record(z.string(), z.boolean())).default({});
 * ```
 */
export function json<Inner extends z.core.$ZodType = z.ZodUnknown>(inner?: Inner): EnvJson<Inner> {
  const parse = z.string().transform((raw, ctx) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      safeIssue(ctx, 'must be valid JSON');
      return z.NEVER;
    }
  });
  const schema = parse.pipe(inner ?? z.unknown()) as unknown as EnvJson<Inner>;
  return setMeta(schema, { format: (value) => JSON.stringify(value), hint: 'JSON' });
}
