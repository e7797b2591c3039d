import { z } from 'zod';
import { setMeta } from './meta.js';
import { isZodSchema, requireOption } from './option-guards.js';
import { Secret } from './secret.js';

/** The schema `secret(inner)` returns: validates with `inner`, outputs a `Secret`. */
export type SecretSchema<Inner extends z.core.$ZodType> = z.ZodPipe<
  Inner,
  z.ZodTransform<Secret<z.output<Inner>>, z.output<Inner>>
>;

/**
 * Marks a key secret. The value is validated by `inner` (default: a non-empty
 * string) and wrapped in a {@link Secret}; error messages never include it.
 *
 * @example
 * ```ts
 * import { loadConfig, secret } from '@plinth/config';
 * import { z } from 'zod';
 *
 * const config = await loadConfig({
 *   schema: z.object({ AUTH_JWT_SECRET: secret(z.string().min(32)) }),
 * });
 * config.AUTH_JWT_SECRET.reveal();
 * ```
 */
export function secret(): SecretSchema<z.ZodString>;
export function secret<Inner extends z.core.$ZodType>(inner: Inner): SecretSchema<Inner>;
export function secret(inner: z.core.$ZodType = z.string().min(1)): SecretSchema<z.core.$ZodType> {
  requireOption(
    isZodSchema(inner),
    'secret',
    'inner',
    'must be a zod schema, e.g. z.string().min(32)',
  );
  const schema = z.pipe(
    inner,
    z.transform((value: unknown) => new Secret(value)),
  ) as unknown as SecretSchema<z.core.$ZodType>;
  return setMeta(schema, { secret: true });
}
