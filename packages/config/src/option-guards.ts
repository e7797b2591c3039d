import { invalidOptions } from '@plinth/errors';

/**
 * Throws the 500 `INVALID_OPTIONS` error for a developer's mistake unless `ok`,
 * at the call that got it (schema-building time), not at load.
 */
export function requireOption(ok: boolean, subject: string, path: string, message: string): void {
  if (!ok) throw invalidOptions(subject, { path, message });
}

/** True for any zod 4 schema (classic or mini). */
export function isZodSchema(value: unknown): boolean {
  const zod = (value as { _zod?: { def?: unknown } } | null | undefined)?._zod;
  return typeof zod === 'object' && zod !== null && typeof zod.def === 'object';
}
