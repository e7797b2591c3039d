import { z } from 'zod';
import { setMeta } from '../meta.js';
import { safeIssue } from './env-string.js';

/** Options for {@link list}. */
export interface ListOptions {
  /** Item separator. Default `,`. */
  separator?: string;
}

/** A schema that takes a separated env string and outputs an array of items. */
export type EnvList<Item extends z.core.$ZodType> = z.ZodPipe<
  z.ZodPipe<z.ZodString, z.ZodTransform<string[], string>>,
  z.ZodArray<Item>
>;

/**
 * Separated list from an env string (`a, b, c`): items are trimmed and each is
 * validated by `item` (default: a non-empty string). Empty items (`a,,b`) are
 * an error rather than silently dropped.
 *
 * @example
 * ```ts
 * import { list, url } from '@plinth/config';
 *
 * const CORS_ORIGINS = list(url()).default([]);
 * ```
 */
export function list<Item extends z.core.$ZodType<unknown, string> = z.ZodString>(
  item?: Item,
  options: ListOptions = {},
): EnvList<Item> {
  const separator = options.separator ?? ',';
  const split = z.string().transform((raw, ctx) => {
    const text = raw.trim();
    if (text === '') return [];
    const items = text.split(separator).map((part) => part.trim());
    items.forEach((part, index) => {
      if (part === '') safeIssue(ctx, 'must not contain empty items', [index]);
    });
    return items;
  });
  const schema = split.pipe(z.array(item ?? z.string())) as unknown as EnvList<Item>;
  return setMeta(schema, {
    format: (value) => (value as unknown[]).map(String).join(separator),
    hint: `list separated by "${separator}"`,
  });
}
