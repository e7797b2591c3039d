import { isSecretLike, REDACTED, SECRET_BRAND } from '@plinth/errors';
import { deepFreeze } from '@plinth/internal';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * A configuration value that must never be printed. `String()`, template
 * literals, `JSON.stringify`, `util.inspect`, `console.log` and the
 * @plinth/logging redactor all show `[redacted]`; `reveal()` returns the value.
 *
 * @example
 * ```ts
 * import { Secret } from '@plinth/config';
 *
 * const key = new Secret('s3cr3t');
 * console.log(`key=${key}`); // key=[redacted]
 * key.reveal(); // 's3cr3t'
 * ```
 */
export class Secret<T = string> {
  readonly #value: T;

  constructor(value: T) {
    this.#value = deepFreeze(value);
    Object.freeze(this);
  }

  /** The wrapped value. Call it at the point of use, never to log. */
  reveal(): T {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }

  [INSPECT](): string {
    return REDACTED;
  }
}

Object.defineProperty(Secret.prototype, SECRET_BRAND, { value: true });

/**
 * True for a {@link Secret} from any installed copy of @plinth/config (checks
 * the `Symbol.for('plinth.secret.v1')` brand, not `instanceof`).
 *
 * @example
 * ```ts
 * import { isSecret, Secret } from '@plinth/config';
 *
 * isSecret(new Secret('x')); // true
 * isSecret('x'); // false
 * ```
 */
export function isSecret(value: unknown): value is Secret<unknown> {
  return typeof value === 'object' && value !== null && isSecretLike(value);
}
