import { isAppError, type OptionsError } from '@plinth/errors';
import { expect } from 'vitest';

/** Runs `fn`, expects the one error for a developer's bad options, and returns it. */
export function optionsError(fn: () => unknown): OptionsError {
  try {
    fn();
  } catch (err) {
    expect(isAppError(err)).toBe(true);
    expect(err).toMatchObject({ status: 500, code: 'INVALID_OPTIONS', expose: false });
    return err as OptionsError;
  }
  throw new Error('expected invalid options to throw');
}

/** The option paths an invalid-options error names, in order. */
export const optionPaths = (fn: () => unknown) => optionsError(fn).issues.map((i) => i.path);
