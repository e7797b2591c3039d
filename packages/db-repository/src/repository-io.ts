import { invalidOptions, ValidationError } from '@plinth/errors';
import type { z } from 'zod';
import { parseRows } from './parse-rows.js';
import type { RepositoryModel } from './repository-model.js';

/** Runs a zod schema over caller input; failures become a ValidationError with one issue per problem. */
export function parseInput(
  schema: z.ZodType<Record<string, unknown>>,
  input: unknown,
  prefix: string,
): Record<string, unknown> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(undefined, {
    errors: result.error.issues.map((issue) => {
      const keys = (issue as { keys?: string[] }).keys;
      const path = [prefix, ...issue.path.map(String), ...(keys && keys.length === 1 ? keys : [])]
        .filter(Boolean)
        .join('.');
      return { path, message: issue.message, code: issue.code };
    }),
  });
}

/** Drops `undefined` properties (absent, in JS terms); `null` is kept and means SQL NULL. */
export function withoutUndefined(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) if (v !== undefined) out[k] = v;
  return out;
}

/** Parses selected rows with the row schema after removing the cursor helper columns. */
export function toRows<T>(
  schema: z.ZodType<T>,
  rows: Record<string, unknown>[],
  keyCount = 0,
): T[] {
  if (keyCount > 0) {
    for (const row of rows) for (let i = 0; i < keyCount; i++) delete row[`__k${i}`];
  }
  return parseRows(rows, schema);
}

/** Validates an integer `expectedVersion`. */
export function checkVersion(model: RepositoryModel, expectedVersion: unknown): number | undefined {
  if (expectedVersion === undefined) return undefined;
  if (!model.version)
    throw invalidOptions(`${model.table} repository`, {
      path: 'expectedVersion',
      message: 'needs a versioned repository (a version property)',
    });
  if (!Number.isSafeInteger(expectedVersion) || (expectedVersion as number) < 0) {
    throw new ValidationError('Invalid expectedVersion', {
      errors: [
        {
          path: 'expectedVersion',
          message: 'must be a non-negative integer',
          code: 'invalid_type',
        },
      ],
    });
  }
  return expectedVersion as number;
}
