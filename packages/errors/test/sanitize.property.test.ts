import { inspect } from 'node:util';
import { isSensitiveKey, REDACTED, sanitize } from '@plinth/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const SENSITIVE = [
  'password',
  'PASSWORD',
  'Authorization',
  'x-api-key',
  'X_Api_Key',
  'client_secret',
  'refreshToken',
  'cookie',
  'privateKey',
  'ssn',
  'card_number',
  'sessionToken',
];
const MARKER = 'S3CR3T-MARKER';

const key = fc.oneof(fc.constantFrom(...SENSITIVE), fc.string({ maxLength: 8 }));
const leaf = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt(),
  fc.date(),
);

/** Trees whose sensitive keys hold MARKER values (or sub-trees full of markers). */
const tree = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    tie('array'),
    tie('object'),
    tie('map'),
  ),
  array: fc.array(tie('node'), { maxLength: 4 }),
  object: fc.dictionary(key, tie('node'), { maxKeys: 5 }).map((o) => {
    for (const k of Object.keys(o)) if (isSensitiveKey(k)) o[k] = `${MARKER}-${k}`;
    return o;
  }),
  map: fc
    .array(fc.tuple(key, tie('node')), { maxLength: 3 })
    .map((entries) => new Map(entries.map(([k, v]) => [k, isSensitiveKey(k) ? MARKER : v]))),
})).node;

function everySensitiveKeyRedacted(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(everySensitiveKeyRedacted);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).every(([k, v]) =>
      isSensitiveKey(k) ? v === REDACTED : everySensitiveKeyRedacted(v),
    );
  }
  return true;
}

/** Add cycles: every `pick`ed object gets a back-reference to the root. */
function withCycles(root: unknown, picks: number[]): unknown {
  const objects: Record<string, unknown>[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object' && !(v instanceof Date) && !(v instanceof Map)) {
      objects.push(v as Record<string, unknown>);
      Object.values(v).forEach(visit);
    }
  };
  visit(root);
  for (const p of picks) {
    const target = objects[p % Math.max(objects.length, 1)];
    if (target) target[`loop${p}`] = root;
  }
  return root;
}

describe('sanitize properties', () => {
  it('never mutates its input', () => {
    fc.assert(
      fc.property(
        fc.oneof(tree, fc.anything({ withMap: true, withSet: true, withDate: true })),
        (value) => {
          const before = inspect(value, { depth: Infinity, showHidden: true });
          sanitize(value);
          expect(inspect(value, { depth: Infinity, showHidden: true })).toBe(before);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('leaves no sensitive key with a value other than [redacted], at any depth', () => {
    fc.assert(
      fc.property(tree, (value) => {
        const out = sanitize(value, { maxDepth: 50 });
        expect(everySensitiveKeyRedacted(out)).toBe(true);
        expect(JSON.stringify(out) ?? '').not.toContain(MARKER);
      }),
      { numRuns: 500 },
    );
  });

  it('terminates on cyclic input and yields JSON-serialisable output', () => {
    fc.assert(
      fc.property(tree, fc.array(fc.nat(), { maxLength: 4 }), (value, picks) => {
        const out = sanitize(withCycles(value, picks));
        expect(() => JSON.stringify(out)).not.toThrow();
        expect(JSON.stringify(out) ?? '').not.toContain(MARKER);
      }),
      { numRuns: 300 },
    );
  });

  it('yields JSON-serialisable output for arbitrary values', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withBigInt: true,
          withMap: true,
          withSet: true,
          withDate: true,
          withTypedArray: true,
          withSparseArray: true,
          withNullPrototype: true,
          withBoxedValues: true,
        }),
        (value) => {
          expect(() => JSON.stringify(sanitize(value))).not.toThrow();
        },
      ),
      { numRuns: 500 },
    );
  });
});
