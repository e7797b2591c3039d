/**
 * The mark `createRequestContext` puts on every context and principal it
 * builds, by any installed copy of this package (ADR 0020, ADR 0113).
 * `runWithContext` checks it on the hot path instead of `Object.isFrozen`
 * plus a deep check; `deriveContext` trusts a marked parent's fields and
 * reuses a marked principal instead of copying its claims again. The mark is
 * only ever put on a frozen, validated object.
 *
 * It is a private field, added by a class shared through the global symbol
 * registry: invisible to spread, `Object.assign`, `JSON.stringify` and
 * reflection (a copy is never marked), the same for the ESM and CommonJS
 * builds and duplicate installs (the first copy loaded creates the class, the
 * others reuse it), and about ten times cheaper to add than a
 * non-enumerable property through `Object.defineProperty`.
 */
interface Mark {
  /** Put the mark on `value` (not frozen yet) and return it. */
  add<T extends object>(value: T): T;
  has(value: unknown): boolean;
}

const MARK_KEY = Symbol.for('plinth.context.sealed.v1');
type Global = { [MARK_KEY]?: Mark };

function createMark(): Mark {
  // A base constructor that returns its argument makes `new Marked(value)` add
  // the subclass's private field to `value` itself.
  class Target {
    constructor(value: object) {
      // biome-ignore lint/correctness/noConstructorReturn: returning the target is the mechanism
      return value;
    }
  }
  class Marked extends Target {
    #sealed = true;
    static has(value: unknown): boolean {
      return typeof value === 'object' && value !== null && #sealed in value;
    }
  }
  // The object `new` returns is used: a bundler may drop an unused `new` as side-effect free.
  return { add: (value) => new Marked(value) as typeof value, has: (value) => Marked.has(value) };
}

const g = globalThis as Global;
g[MARK_KEY] ??= createMark();
const mark = g[MARK_KEY];

/** Mark and freeze `value` (must not be frozen yet). */
export function seal<T extends object>(value: T): T {
  return Object.freeze(mark.add(value));
}

/** Whether `value` was built (validated and frozen) by `createRequestContext`. */
export function isSealed(value: unknown): boolean {
  return mark.has(value);
}
