import { requireOptionsObject } from '@plinth/errors';
import { type EnvPrimitive, envPrimitive } from './env-string.js';
import { bounded, formatWithUnit, parseWithUnit } from './units.js';

const KB = 1024;
const UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: KB,
  kib: KB,
  mb: KB ** 2,
  mib: KB ** 2,
  gb: KB ** 3,
  gib: KB ** 3,
  tb: KB ** 4,
  tib: KB ** 4,
};
/** Largest first, for rendering (`kb`, not its alias `kib`). */
const ORDER = Object.entries(UNITS)
  .filter(([unit]) => !unit.endsWith('ib'))
  .reverse();

/** Bounds for {@link bytes}, in bytes (inclusive). */
export interface BytesOptions {
  min?: number;
  max?: number;
}

/** Renders a byte count as the largest exact unit (`1048576` → `1mb`). */
export const formatBytes = (value: number): string => formatWithUnit(value, ORDER);

/**
 * Byte size from an env string → bytes: a number with an optional unit,
 * case-insensitive, binary multiples like Express and Fastify (`kb` = 1024):
 * `512`, `512b`, `10kb`, `5mb`, `1.5gb`, `1gib`.
 *
 * @example
 * ```ts
 * import { bytes } from '@plinth/config';
 *
 * const bodyLimit = bytes({ max: 100 * 1024 ** 2 }).default(1024 ** 2); // "1mb"
 * ```
 */
export function bytes(options: BytesOptions = {}): EnvPrimitive<number> {
  requireOptionsObject(options, 'bytes', 'optional min and max');
  const reason = 'must be a byte size (e.g. 512, 10kb, 5mb, 1gb)';
  return envPrimitive(
    (text) =>
      bounded(parseWithUnit(text, UNITS, 'b', reason), options.min, options.max, formatBytes),
    { format: (value) => formatBytes(value as number), hint: 'byte size, e.g. 1mb' },
  );
}
