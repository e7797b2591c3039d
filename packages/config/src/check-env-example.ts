import type { z } from 'zod';
import { toEnvExample } from './env-example.js';
import { lineDiff } from './line-diff.js';
import { requireOption } from './option-guards.js';

/** Result of {@link checkEnvExample}. */
export interface EnvExampleCheck {
  /** True when `text` equals what `toEnvExample(schema)` renders (line endings ignored). */
  inSync: boolean;
  /** What `toEnvExample(schema)` renders. */
  expected: string;
  /** Readable line diff: `- line` expected but missing, `+ line (line N)` unexpected. Empty when in sync. */
  diff: string;
}

const lines = (text: string) => text.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n');

/**
 * Compares an existing `.env.example` with the one the schema renders — the
 * check a test or CI step runs so examples never drift from the schema.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { checkEnvExample } from '@plinth/config';
 * import { schema } from './config-schema.js';
 *
 * const check = checkEnvExample(schema, readFileSync('.env.example', 'utf8'));
 * if (!check.inSync) throw new Error(`.env.example is out of date:\n${check.diff}`);
 * ```
 */
export function checkEnvExample(schema: z.core.$ZodObject, text: string): EnvExampleCheck {
  requireOption(
    typeof text === 'string',
    'checkEnvExample',
    'text',
    'must be the file content as a string',
  );
  return compareEnvExample(toEnvExample(schema), text);
}

/** {@link checkEnvExample} against an already rendered `expected`. */
export function compareEnvExample(expected: string, text: string): EnvExampleCheck {
  requireOption(
    typeof expected === 'string' && typeof text === 'string',
    'compareEnvExample',
    typeof expected === 'string' ? 'text' : 'expected',
    'must be a string',
  );
  const diff = lineDiff(lines(expected), lines(text));
  return { inSync: diff.length === 0, expected, diff: diff.join('\n') };
}
