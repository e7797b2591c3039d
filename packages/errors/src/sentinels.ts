/**
 * The value that replaces anything redacted, everywhere in Plinth.
 *
 * @example
 * ```ts
 * import { REDACTED, sanitize } from '@plinth/errors';
 *
 * sanitize({ password: 'x' }); // { password: REDACTED }
 * ```
 */
export const REDACTED = '[redacted]';

/**
 * Replaces a reference back to an object that is being copied (in `sanitize`
 * output and log lines).
 *
 * @example
 * ```ts
 * import { CIRCULAR, sanitize } from '@plinth/errors';
 *
 * const node: Record<string, unknown> = {};
 * node.self = node;
 * sanitize(node); // { self: CIRCULAR }
 * ```
 */
export const CIRCULAR = '[Circular]';

/**
 * Replaces a container nested deeper than `maxDepth` (in `sanitize` output
 * and log lines).
 *
 * @example
 * ```ts
 * import { sanitize, TRUNCATED } from '@plinth/errors';
 *
 * sanitize({ a: { b: {} } }, { maxDepth: 2 }); // { a: { b: TRUNCATED } }
 * ```
 */
export const TRUNCATED = '[Truncated]';

/** A property whose getter threw. */
export const UNREADABLE = '[Unreadable]';
/** A value that could not be inspected at all (a Proxy whose traps throw). */
export const UNSERIALIZABLE = '[Unserializable]';
/** The key that summarises the entries cut from a very wide object or Map. */
export const MORE_KEYS = '[…]';
