import { z } from 'zod';

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
/**
 * Bidirectional embeddings, overrides and isolates: invisible, they reorder
 * how the text around them is displayed (Trojan Source, CVE-2021-42574), so a
 * name could read differently in an admin screen, a log or an export.
 */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
/** A lone UTF-16 surrogate cannot be encrypted or stored as UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Free text a person typed (a client's name, a file name): trimmed, 1 to
 * `max` characters, no control characters (C0, DEL, C1), no bidirectional
 * formatting characters, well-formed Unicode. A refusal is the usual 400
 * with `errors[]`.
 *
 * @example
 * ```ts
 * const body = z.strictObject({ name: freeText(200) });
 * ```
 */
export const freeText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !CONTROL.test(s), 'must not contain control characters')
    .refine((s) => !BIDI_CONTROL.test(s), 'must not contain bidirectional formatting characters')
    .refine((s) => !LONE_SURROGATE.test(s), 'must be well-formed Unicode');
