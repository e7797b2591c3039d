import type { Secret } from './secret.js';

type Primitive = string | number | boolean | bigint | symbol | null | undefined;

/** `T` with every nested object and array read-only; `Secret` values are kept as they are. */
export type DeepReadonly<T> = T extends
  | Primitive
  | Secret<unknown>
  | ((...args: never[]) => unknown)
  ? T
  : T extends ReadonlyArray<infer E>
    ? ReadonlyArray<DeepReadonly<E>>
    : { readonly [K in keyof T]: DeepReadonly<T[K]> };

/**
 * Freezes `value` and everything reachable through own properties. Typed
 * arrays cannot be frozen by the engine and are left as they are.
 */
export function deepFreeze<T>(value: T, seen = new WeakSet<object>()): T {
  if (typeof value !== 'object' || value === null || seen.has(value)) return value;
  seen.add(value);
  if (ArrayBuffer.isView(value)) return value;
  Object.freeze(value);
  for (const key of Reflect.ownKeys(value)) {
    deepFreeze((value as Record<PropertyKey, unknown>)[key], seen);
  }
  return value;
}
