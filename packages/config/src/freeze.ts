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
