import { describeFailure, sanitizeOutput } from '@plinth/health';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const withProps = (
  props: Record<string, unknown>,
  message = 'secret message postgres://u:p@h/db',
) => Object.assign(new Error(message), props);

describe('describeFailure', () => {
  it.each([
    [{ code: 'ECONNREFUSED' }, 'connection refused'],
    [{ code: 'ECONNRESET' }, 'connection reset'],
    [{ code: 'ETIMEDOUT' }, 'connection timed out'],
    [{ code: 'ENOTFOUND' }, 'host not found'],
    [{ code: 'EHOSTUNREACH' }, 'host unreachable'],
    [{ code: '28P01' }, 'authentication failed'],
    [{ code: '3D000' }, 'database does not exist'],
    [{ code: '53300' }, 'too many connections'],
    [{ code: '57P03' }, 'server not accepting connections yet'],
    [{ name: 'NotFound', $metadata: { httpStatusCode: 404 } }, 'not found'],
    [{ name: 'NoSuchBucket', $metadata: {} }, 'not found'],
    [{ name: 'NotFoundException', $metadata: { httpStatusCode: 400 } }, 'not found'],
    [{ name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }, 'access denied'],
    [{ name: 'Forbidden', $metadata: { httpStatusCode: 403 } }, 'access denied'],
    [{ name: 'ExpiredTokenException', $metadata: { httpStatusCode: 400 } }, 'credentials rejected'],
    [
      { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } },
      'request failed (ThrottlingException)',
    ],
    [{ code: 'ERR_SOMETHING_NEW' }, 'check failed (ERR_SOMETHING_NEW)'],
    [{}, 'check failed'],
  ])('maps %o to a fixed phrase', (props, expected) => {
    expect(describeFailure(withProps(props))).toBe(expected);
  });

  it('looks through fetch-style causes and happy-eyeballs AggregateErrors', () => {
    const fetchFailed = new TypeError('fetch failed', {
      cause: withProps({ code: 'ECONNREFUSED' }),
    });
    expect(describeFailure(fetchFailed)).toBe('connection refused');
    const aggregate = new AggregateError([withProps({ code: 'ECONNREFUSED' })], 'all failed');
    expect(describeFailure(aggregate)).toBe('connection refused');
  });

  it('describes non-Error throwables without echoing them', () => {
    expect(describeFailure('password=hunter2')).toBe('check failed');
    expect(describeFailure(undefined)).toBe('check failed');
    expect(describeFailure({ code: 'has space; rm -rf' })).toBe('check failed');
  });

  it('never returns any part of an arbitrary error message', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 12 }), fc.string(), (message, code) => {
        const marker = `SECRET${message}`;
        const out = describeFailure(withProps({ code }, marker));
        expect(out).not.toContain(marker);
      }),
    );
  });
});

describe('sanitizeOutput', () => {
  it('removes connection strings, credentials and control characters', () => {
    expect(sanitizeOutput('lag high\r\nsee redis://:pw@cache:6379/0 now')).toBe(
      'lag high see [url] now',
    );
    expect(sanitizeOutput('auth admin:hunter2@db failed')).toBe('auth [redacted] failed');
  });

  it('caps the length at 200 characters', () => {
    expect(sanitizeOutput('x'.repeat(500))).toHaveLength(200);
  });

  it('never lets a URL with userinfo through', () => {
    fc.assert(
      fc.property(fc.webUrl(), fc.string(), fc.string(), (url, prefix, suffix) => {
        const withCreds = url.replace('://', '://user:S3cretPw@');
        const out = sanitizeOutput(`${prefix} ${withCreds} ${suffix}`);
        expect(out).not.toContain('S3cretPw');
      }),
      { numRuns: 30 },
    );
  });
});
