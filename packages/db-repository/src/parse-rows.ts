import { InternalError } from '@plinth/errors';
import type { ZodType } from 'zod';

/**
 * Parses each row with `schema`. A mismatch is a server-side defect (the
 * schema and the table disagree), so it is an InternalError that names the
 * paths and issue codes but never the offending values.
 */
export function parseRows<T>(rows: readonly unknown[], schema: ZodType<T>): T[] {
  const out: T[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const result = schema.safeParse(rows[i]);
    if (!result.success) {
      throw new InternalError('A database row does not match its schema', {
        code: 'ROW_VALIDATION_FAILED',
        context: {
          row: i,
          issues: result.error.issues.map((x) => ({
            path: x.path.map(String).join('.'),
            code: x.code,
          })),
        },
      });
    }
    out[i] = result.data;
  }
  return out;
}
