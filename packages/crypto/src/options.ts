import { invalidOptions } from '@plinth/errors';

/**
 * Refuses a missing or non-object options argument with `INVALID_OPTIONS`
 * naming what the object must hold, instead of the TypeError destructuring
 * would throw. Options are wiring, so this is a developer's bug (500).
 */
export function optionsObject<T>(options: T, subject: string, holds: string): NonNullable<T> {
  if (typeof options !== 'object' || options === null) {
    throw invalidOptions(subject, { path: 'options', message: `must be an object with ${holds}` });
  }
  return options as NonNullable<T>;
}
