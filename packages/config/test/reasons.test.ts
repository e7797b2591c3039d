import { json, loadConfig, secret } from '@plinth/config';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configError } from './helpers.js';

/** The one reason loadConfig gives for `schema` (as key V) on `value`. */
async function reason(schema: z.core.$ZodType, value: string): Promise<string> {
  const error = await configError(
    loadConfig({ schema: z.object({ V: schema }), env: { V: value }, files: false }),
  );
  return error.issues.map((i) => [[i.key, ...i.path].join('.'), i.reason].join(': ')).join('\n');
}

describe('ConfigError reasons', () => {
  it.each([
    [json(z.object({ a: z.string() })), '{"a":1}', 'V.a: must be a string'],
    [z.string().max(3), 'abcd', 'V: must be at most 3 characters'],
    [json(z.array(z.number()).min(2)), '[1]', 'V: must have at least 2 items'],
    [json(z.array(z.number()).max(1)), '[1,2]', 'V: must have at most 1 items'],
    [json(z.number().gt(0)), '0', 'V: must be > 0'],
    [json(z.number().lt(0)), '0', 'V: must be < 0'],
    [json(z.number().max(5)), '6', 'V: must be ≤ 5'],
    [json(z.number().multipleOf(5)), '6', 'V: must be a multiple of 5'],
    [z.string().email(), 'nope', 'V: must be a valid email'],
    [z.string().regex(/^x+$/), 'y', 'V: must match /^x+$/'],
    [secret(z.string().regex(/^x+$/)), 'y', 'V: must be a valid regex'],
    [z.enum(['a', 'b']), 'c', 'V: must be one of: a, b'],
    [z.union([z.string().email(), z.string().url()]), 'c', 'V: does not match any allowed form'],
  ])('words a zod issue as a fixed sentence (%#)', async (schema, value, expected) => {
    expect(await reason(schema, value)).toBe(expected);
  });

  it('keeps a custom message unless it could echo the value', async () => {
    const rule = (message: string) => z.string().refine(() => false, { message });
    expect(await reason(rule('must start with a letter'), '1abc')).toBe(
      'V: must start with a letter',
    );
    expect(await reason(rule('got value-123, expected more'), 'value-123')).toBe('V: is invalid');
    expect(await reason(secret(rule('abc is wrong')), 'abc')).toBe('V: is invalid');
  });

  it('explains that env values are strings when a plain number schema is used', async () => {
    expect(await reason(z.number(), '5')).toBe(
      'V: must be a number (env values are strings: parse them with int(), num() or bool())',
    );
  });
});
