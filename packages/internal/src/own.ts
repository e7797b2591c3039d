/**
 * `out[key] = value` that keeps a `"__proto__"` key as data: plain assignment
 * of `__proto__` would replace the object's prototype instead of adding a key.
 */
export function setOwn(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(out, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else out[key] = value;
}
