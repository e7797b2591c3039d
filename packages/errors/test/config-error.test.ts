import { AppError, BUILTIN_ERRORS, ConfigError, defineErrors, InternalError } from '@plinth/errors';
import { describe, expect, it } from 'vitest';

describe('ConfigError', () => {
  const error = new ConfigError([
    { key: 'PORT', path: [], code: 'invalid', reason: 'must be a port number' },
    { key: 'DB_URL', path: [], code: 'missing', reason: 'required' },
    { key: 'HOSTS', path: [1], code: 'invalid', reason: 'must be a host name' },
  ]);

  it('is a 500 of its own code, never exposed, listing every key sorted, one per line', () => {
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      name: 'ConfigError',
      code: 'CONFIG_INVALID',
      status: 500,
      expose: false,
      severity: 'critical',
    });
    expect(error.message).toBe(
      'Invalid configuration (3 problems):\n  DB_URL: required\n  HOSTS.1: must be a host name\n  PORT: must be a port number',
    );
    expect(error.issues.map((i) => i.key)).toEqual(['DB_URL', 'HOSTS', 'PORT']);
    expect(Object.isFrozen(error.issues)).toBe(true);
    expect(error.errors[1]).toEqual({
      path: 'HOSTS.1',
      message: 'must be a host name',
      code: 'invalid',
    });
  });

  it('is listed among the built-in errors but never becomes the base class of a defined 500', () => {
    expect(BUILTIN_ERRORS).toContain(ConfigError);
    const Errors = defineErrors({ LEDGER_OFFLINE: { status: 500, title: 'Ledger offline' } });
    const defined = new Errors.LEDGER_OFFLINE();
    expect(defined).toBeInstanceOf(InternalError);
    expect(defined).not.toBeInstanceOf(ConfigError);
  });

  it('builds a readable error instead of throwing when the issue list is missing or malformed', () => {
    for (const issues of [undefined, null, 'PORT', {}]) {
      const err = new ConfigError(issues as never);
      expect(err.code).toBe('CONFIG_INVALID');
      expect(err.message).toBe('Invalid configuration (no problems were listed)');
      expect(err.issues).toEqual([]);
    }
    const err = new ConfigError([null, { key: 'PORT' }] as never, null as never);
    expect(err.message).toBe(
      'Invalid configuration (2 problems):\n  (unknown key): is invalid\n  PORT: is invalid',
    );
    expect(err.issues[1]).toEqual({ key: 'PORT', path: [], code: 'invalid', reason: 'is invalid' });
  });
});
