import { fromZodError, InternalError, ValidationError } from '@plinth/errors';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

function zodError(schema: z.ZodType, input: unknown) {
  const result = schema.safeParse(input);
  if (result.success) throw new Error('expected the input to be rejected');
  return result.error;
}

const Client = z.object({
  name: z.string().min(2),
  email: z.email(),
  address: z.object({ street: z.string(), zip: z.string().regex(/^\d{5}$/) }),
  tags: z.array(z.object({ label: z.string().max(3) })),
  role: z.enum(['admin', 'staff', 'viewer']),
});

describe('fromZodError', () => {
  it('turns nested zod 4 issues into errors[] with dotted paths', () => {
    const err = fromZodError(
      zodError(Client, {
        name: 'A',
        email: 'not-an-email',
        address: { street: 12, zip: '1234x' },
        tags: [{ label: 'ok' }, { label: 'too long' }],
        role: 'owner',
      }),
    );
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.status).toBe(400);
    const byPath = Object.fromEntries(err.errors.map((e) => [e.path, e.code]));
    expect(byPath).toEqual({
      name: 'too_small',
      email: 'invalid_format',
      'address.street': 'invalid_type',
      'address.zip': 'invalid_format',
      'tags.1.label': 'too_big',
      role: 'invalid_value',
    });
  });

  it("uses '' as the path of an issue about the whole input", () => {
    const err = fromZodError(zodError(z.object({ a: z.string() }), 'nope'));
    expect(err.errors).toEqual([
      {
        path: '',
        message: 'Invalid input: expected object, received string',
        code: 'invalid_type',
      },
    ]);
  });

  it('never echoes the rejected values in messages', () => {
    const secret = 'hunter2-very-secret';
    const schema = z.object({
      a: z.number(),
      b: z.enum(['x', 'y']),
      c: z.literal('fixed'),
      d: z.string().max(3),
      e: z.email(),
      f: z.string().startsWith('pl_'),
      g: z.uuid(),
      h: z.string().regex(/^\d+$/),
      i: z.union([z.number(), z.boolean()]),
      j: z.record(z.enum(['k']), z.string()),
      k: z.array(z.number()).max(0),
    });
    const err = fromZodError(
      zodError(schema, {
        a: secret,
        b: secret,
        c: secret,
        d: secret,
        e: secret,
        f: secret,
        g: secret,
        h: secret,
        i: secret,
        j: { [secret]: secret },
        k: [1],
      }),
    );
    expect(err.errors.length).toBeGreaterThanOrEqual(11);
    for (const issue of err.errors) expect(issue.message).not.toContain(secret);
  });

  it('reports each unrecognized key by path without listing keys in the message', () => {
    const err = fromZodError(
      zodError(z.strictObject({ a: z.object({}).strict() }), { a: { x: 1, y: 2 } }),
    );
    expect(err.errors).toEqual([
      { path: 'a.x', message: 'Unrecognized key', code: 'unrecognized_keys' },
      { path: 'a.y', message: 'Unrecognized key', code: 'unrecognized_keys' },
    ]);
  });

  it('replaces a custom message that repeats the reported input', () => {
    const schema = z
      .string()
      .refine((v) => v === 'ok', { error: (iss) => `bad value ${iss.input}` });
    const result = schema.safeParse('alice@example.com', { reportInput: true });
    expect(result.success).toBe(false);
    const err = fromZodError(result.error!);
    expect(err.errors[0]?.message).toBe('Invalid input');
  });

  it('keeps the ZodError as cause and points the fingerprint at the caller', () => {
    const zerr = zodError(z.string(), 1);
    const a = fromZodError(zerr);
    const b = fromZodError(zerr);
    expect(a.cause).toBe(zerr);
    expect(a.fingerprint).not.toBe(b.fingerprint);
    expect(a.stack?.split('\n')[1]).toContain('from-zod-error.test.ts');
  });

  it('caps the number of issues and says how many were left out', () => {
    const err = fromZodError(
      zodError(
        z.array(z.string()),
        Array.from({ length: 150 }, (_, i) => i),
      ),
    );
    expect(err.errors).toHaveLength(100);
    expect(err.details).toEqual({ omittedIssues: 50 });
    expect(
      fromZodError(zodError(z.array(z.string()), [1, 2, 3]), { maxIssues: 1 }).errors,
    ).toHaveLength(1);
  });

  it('accepts a custom message and details', () => {
    const err = fromZodError(zodError(z.string(), 1), {
      message: 'Bad query',
      details: { in: 'query' },
    });
    expect(err.message).toBe('Bad query');
    expect(err.details).toEqual({ in: 'query' });
  });

  it('throws an InternalError when given something that is not a ZodError', () => {
    expect(() => fromZodError({} as never)).toThrow(InternalError);
    expect(() => fromZodError(null as never)).toThrow(/expects a ZodError/);
  });

  it('tolerates malformed issues from a look-alike', () => {
    const err = fromZodError({
      issues: [null, { path: 'x' }, { path: ['a', 0, Symbol('s')] }],
    } as never);
    expect(err.errors).toEqual([
      { path: '', message: 'Invalid input', code: 'invalid' },
      { path: '', message: 'Invalid input', code: 'invalid' },
      { path: 'a.0.s', message: 'Invalid input', code: 'invalid' },
    ]);
  });
});
