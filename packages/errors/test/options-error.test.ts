import {
  invalidOptions,
  isAppError,
  isOptionsObject,
  OptionsError,
  requireOptionsObject,
  toProblemDetails,
} from '@plinth/errors';
import { describe, expect, it } from 'vitest';

describe('invalidOptions', () => {
  it('builds a 500 OptionsError with code INVALID_OPTIONS that is not exposed', () => {
    const err = invalidOptions('createThing', [{ path: 'timeoutMs', message: 'must be positive' }]);
    expect(err).toBeInstanceOf(OptionsError);
    expect(isAppError(err)).toBe(true);
    expect(err.status).toBe(500);
    expect(err.code).toBe('INVALID_OPTIONS');
    expect(err.expose).toBe(false);
    expect(err.message).toBe('createThing: timeoutMs must be positive');
  });

  it('lists every issue with the ValidationIssue shape', () => {
    const err = invalidOptions('createThing', [
      'needs a table',
      { path: 'pool.max', message: 'must be ≥ 1', code: 'too_small' },
    ]);
    expect(err.issues).toEqual([
      { path: '', message: 'needs a table', code: 'invalid_option' },
      { path: 'pool.max', message: 'must be ≥ 1', code: 'too_small' },
    ]);
    expect(err.message).toBe('createThing: needs a table; pool.max must be ≥ 1');
    expect(Object.isFrozen(err.issues)).toBe(true);
    expect(err.toJSON().issues).toHaveLength(2);
  });

  it('keeps the message and issues out of problem details', () => {
    const body = toProblemDetails(invalidOptions('createThing', 'secret-ish detail'));
    expect(body.status).toBe(500);
    expect(JSON.stringify(body)).not.toContain('secret-ish');
  });

  it('accepts a cause and a more specific code', () => {
    const cause = new Error('x');
    const err = invalidOptions('s', 'bad', { cause, code: 'DB_OPTIONS_INVALID' });
    expect(err.cause).toBe(cause);
    expect(err.code).toBe('DB_OPTIONS_INVALID');
  });

  it('still builds an OptionsError, never a TypeError, when called with nothing usable', () => {
    const call = invalidOptions as unknown as (...args: unknown[]) => OptionsError;
    const err = call(null, null);
    expect(err).toBeInstanceOf(OptionsError);
    expect(err.code).toBe('INVALID_OPTIONS');
    expect(err.message).toBe('Options: invalid options (no issue was given)');
    expect(err.issues).toEqual([]);
    const partial = call('createThing', [null, { path: 'a' }, 42], null);
    expect(partial.message).toBe('createThing: is invalid; a is invalid; is invalid');
    expect(partial.issues).toHaveLength(3);
  });
});

describe('requireOptionsObject', () => {
  const refusal = (options: unknown, holds?: string) => {
    try {
      requireOptionsObject(options, 'createThing', holds);
    } catch (err) {
      return err as OptionsError;
    }
    throw new Error('expected requireOptionsObject to throw');
  };

  it('returns the options object itself', () => {
    const options = { timeoutMs: 5 };
    expect(requireOptionsObject(options, 'createThing')).toBe(options);
    const bare = Object.create(null) as object;
    expect(requireOptionsObject(bare, 'createThing', 'a db')).toBe(bare);
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['a string', 'secret-ish'],
    ['a boolean', true],
    ['an array', [{ timeoutMs: 5 }]],
    ['a function', () => ({})],
  ])('refuses %s with INVALID_OPTIONS at path options', (_label, options) => {
    const err = refusal(options);
    expect(err).toBeInstanceOf(OptionsError);
    expect(err.code).toBe('INVALID_OPTIONS');
    expect(err.status).toBe(500);
    expect(err.issues).toEqual([
      { path: 'options', message: 'must be an object', code: 'invalid_option' },
    ]);
    expect(err.message).toBe('createThing: options must be an object');
  });

  it('names what the object must hold, and never the value', () => {
    const err = refusal('secret-ish', 'a db');
    expect(err.issues).toEqual([
      { path: 'options', message: 'must be an object with a db', code: 'invalid_option' },
    ]);
    expect(err.message).toBe('createThing: options must be an object with a db');
    expect(JSON.stringify(err.toJSON())).not.toContain('secret-ish');
  });
});

describe('isOptionsObject', () => {
  it('accepts exactly what requireOptionsObject lets through', () => {
    for (const value of [{}, { a: 1 }, Object.create(null), new Map()])
      expect(isOptionsObject(value)).toBe(true);
    for (const value of [undefined, null, 0, 'x', true, [], [{}], () => ({})])
      expect(isOptionsObject(value)).toBe(false);
  });
});
