import { describe, expect, it } from 'vitest';
import { createCorsPolicy } from '../../src/index.js';

const APP = 'https://app.example.com';

describe('createCorsPolicy decisions', () => {
  const cors = createCorsPolicy({ origins: [APP], credentials: true });

  it('answers a listed origin, and a preflight from it with the allowed methods and headers', () => {
    expect(cors('GET', { origin: APP })).toEqual({
      preflight: false,
      headers: {
        vary: 'Origin',
        'access-control-allow-origin': APP,
        'access-control-allow-credentials': 'true',
        'access-control-expose-headers':
          'x-correlation-id, retry-after, ratelimit, ratelimit-policy, etag, location',
      },
    });
    const pre = cors('OPTIONS', { origin: APP, 'access-control-request-method': 'POST' });
    expect(pre.preflight).toBe(true);
    expect(pre.headers).toMatchObject({
      'access-control-allow-origin': APP,
      'access-control-allow-methods': 'GET, HEAD, POST, PUT, PATCH, DELETE',
      'access-control-max-age': '600',
    });
    expect(pre.headers).not.toHaveProperty('access-control-expose-headers');
  });

  it('gives an unlisted or missing origin only Vary, and still recognises its preflight', () => {
    for (const origin of ['https://evil.example.com', undefined, ['x'] as never]) {
      expect(cors('GET', { origin }).headers).toEqual({ vary: 'Origin' });
    }
    const pre = cors('OPTIONS', {
      origin: 'https://evil.example.com',
      'access-control-request-method': 'GET',
    });
    expect(pre).toEqual({ preflight: true, headers: { vary: 'Origin' } });
    // Without Access-Control-Request-Method an OPTIONS request is not a preflight.
    expect(cors('OPTIONS', { origin: APP }).preflight).toBe(false);
  });

  it('answers any origin with * when allowed, and shares frozen answers between requests', () => {
    const open = createCorsPolicy({ origins: '*' }, 'development');
    const a = open('GET', { origin: 'https://a.example' });
    expect(a.headers['access-control-allow-origin']).toBe('*');
    expect(open('GET', { origin: 'https://b.example' })).toBe(a);
    expect(Object.isFrozen(a) && Object.isFrozen(a.headers)).toBe(true);
    expect(() => {
      (a.headers as Record<string, string>).vary = 'x';
    }).toThrow(TypeError);
  });
});
