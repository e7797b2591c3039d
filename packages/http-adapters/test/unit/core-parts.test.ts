import { createRequestContext } from '@plinth/context';
import { InternalError, isSensitiveKey, REDACTED, scrubText } from '@plinth/errors';
import { describe, expect, it, vi } from 'vitest';
import { deniedResource } from '../../src/core/audit-denial.js';
import { queryPairs } from '../../src/core/validate.js';
import {
  accessLogRecord,
  clientErrorHandler,
  createHttpCore,
  isReply,
  parseJsonBody,
  redactUrl,
  reply,
  reportError,
  requestContextFor,
} from '../../src/index.js';

const quietLogger = () => ({ error: vi.fn(), warn: vi.fn(), info: vi.fn(), debug: vi.fn() });

describe('parseJsonBody', () => {
  it('parses ordinary JSON', () => {
    expect(parseJsonBody('{"a":[1,{"b":"]}"}]}')).toEqual({ a: [1, { b: ']}' }] });
  });

  it('counts brackets inside strings as text, escaped quotes included', () => {
    expect(parseJsonBody(`{"a":"${'['.repeat(100)}\\"${'{'.repeat(100)}"}`, 2)).toBeTypeOf(
      'object',
    );
  });

  it('refuses nesting past the given depth', () => {
    expect(() => parseJsonBody('[[[1]]]', 2)).toThrow(
      expect.objectContaining({ code: 'MALFORMED_JSON' }),
    );
  });
});

describe('redactUrl', () => {
  it('keeps a path without a query as it is', () => {
    expect(redactUrl('/v1/items')).toBe('/v1/items');
  });

  it('redacts credential shapes inside ordinary parameters', () => {
    const jwt =
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    expect(redactUrl(`/x?q=${jwt}&page=2`)).not.toContain('dozjgNryP4J3jVmNHl0w5N');
  });

  it('gives a target with nothing to redact back unchanged', () => {
    expect(redactUrl('/hello?name=bench&page=2')).toBe('/hello?name=bench&page=2');
    expect(redactUrl("/a.b~c?x=(1)&y=it's!*")).toBe("/a.b~c?x=(1)&y=it's!*");
  });

  // Every target decoded, redacted and re-encoded pair by pair: what redactUrl did before
  // it learnt to hand back a target with nothing to redact as it is.
  const reference = (url: string) => {
    const q = url.indexOf('?');
    const path = scrubText(q === -1 ? url : url.slice(0, q), { maxLength: 1024 });
    if (q === -1) return path;
    const out: string[] = [];
    for (const [key, value] of queryPairs(url.slice(q + 1, q + 2049))) {
      const safe = isSensitiveKey(key) ? REDACTED : scrubText(value, { maxLength: 256 });
      out.push(`${encodeURIComponent(key)}=${encodeURIComponent(safe)}`);
    }
    return `${path}?${out.join('&')}`;
  };

  it('gives what decoding and re-encoding every pair gives, for every short query', () => {
    // Every query of up to five characters over the ones that decide the shortcut.
    const alphabet = ['a', '=', '&', '%', '2', '+', '~', '(', '?', 'é'];
    let queries = [''];
    let checked = 0;
    for (let length = 1; length <= 5; length++) {
      queries = queries.flatMap((q) => alphabet.map((c) => q + c));
      for (const query of queries) {
        const url = `/p?${query}`;
        if (redactUrl(url) !== reference(url)) expect(redactUrl(url)).toBe(reference(url));
        checked++;
      }
    }
    expect(checked).toBe(111_110);
  });

  it('gives what re-encoding gives for secrets, sensitive names and long parts', () => {
    const jwt =
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    const urls = [
      '/hello?token=abc123secret&page=2',
      '/hello?page=2&password=hunter2',
      `/x?q=${jwt}`,
      `/x?q=Bearer%20${jwt}`,
      '/x?card=4111111111111111',
      '/x?note=4111111111111111',
      `/x?long=${'a'.repeat(300)}`,
      `/x?a=1&b=${'b'.repeat(2100)}`,
      `/${'p'.repeat(1100)}?a=1`,
      `/u/user:pass@host?a=1`,
      '/x?a=1&&b=2',
      '/x?flag&b=2',
      '/x?a=1&',
      '/x?',
    ];
    for (const url of urls) expect(redactUrl(url), url).toBe(reference(url));
    expect(redactUrl('/hello?token=abc123secret&page=2')).toBe(
      '/hello?token=%5Bredacted%5D&page=2',
    );
  });
});

describe('accessLogRecord', () => {
  const base = {
    method: 'GET',
    url: '/health/ready',
    route: '/health/ready',
    status: 200,
    startedAt: performance.now(),
    bytesOut: 0,
    aborted: false,
    headers: { 'user-agent': ['a', 'b'] },
    context: createRequestContext(),
  };

  it('logs health and docs paths at debug', () => {
    expect(accessLogRecord(base).level).toBe('debug');
  });

  it('logs a 5xx at error and joins repeated headers', () => {
    const out = accessLogRecord({ ...base, url: '/x', status: 503 });
    expect(out.level).toBe('error');
    expect(out.record.headers).toEqual({ 'user-agent': 'a, b' });
  });

  it('uses configured levels', () => {
    expect(accessLogRecord({ ...base, url: '/x' }, { levels: { success: 'debug' } }).level).toBe(
      'debug',
    );
  });
});

describe('reportError', () => {
  it('does nothing without a reporter', () => {
    const logger = quietLogger();
    reportError(undefined, new InternalError(), undefined, logger);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('logs a rejected reporter promise', async () => {
    const logger = quietLogger();
    reportError(() => Promise.reject(new Error('down')), new InternalError(), undefined, logger);
    await vi.waitFor(() =>
      expect(logger.warn).toHaveBeenCalledWith(expect.any(Object), 'error reporter failed'),
    );
  });
});

describe('reply', () => {
  it('is recognised by isReply and nothing else is', () => {
    expect(isReply(reply(202))).toBe(true);
    expect(isReply({ status: 202 })).toBe(false);
    expect(isReply(null)).toBe(false);
  });

  it('carries the v1 brand another installed copy of the package recognises', () => {
    const brand = Symbol.for('plinth.http-adapters.reply.v1');
    expect((reply(204) as unknown as Record<symbol, unknown>)[brand]).toBe(true);
    expect(isReply({ [brand]: true, status: 204, headers: {}, body: undefined })).toBe(true);
    const v0 = Symbol.for('plinth.http-adapters.reply.v0');
    expect(isReply({ [v0]: true, status: 204, headers: {}, body: undefined })).toBe(false);
  });
});

describe('requestContextFor', () => {
  it('takes the socket address when no client ip is given', () => {
    const ctx = requestContextFor({ headers: {}, socket: { remoteAddress: '10.0.0.1' } });
    expect(ctx.ip).toBe('10.0.0.1');
    expect(ctx.userAgent).toBeUndefined();
  });
});

describe('clientErrorHandler', () => {
  const socket = (over: Partial<{ writable: boolean; destroyed: boolean }> = {}) => ({
    writable: true,
    destroyed: false,
    end: vi.fn(),
    destroy: vi.fn(),
    ...over,
  });

  it('answers an oversized header block with 431 problem+json and closes', () => {
    const s = socket();
    clientErrorHandler({ code: 'HPE_HEADER_OVERFLOW' }, s);
    const written = s.end.mock.calls[0]?.[0] as string;
    expect(written).toMatch(/^HTTP\/1\.1 431 /);
    expect(written).toContain('connection: close');
    expect(written).toContain('"code":"HEADERS_TOO_LARGE"');
  });

  it('leaves a reset or destroyed socket alone', () => {
    const s = socket({ destroyed: true });
    clientErrorHandler({ code: 'ECONNRESET' }, s);
    clientErrorHandler(undefined, s);
    expect(s.end).not.toHaveBeenCalled();
  });

  it('destroys a socket that can no longer be written', () => {
    const s = socket({ writable: false });
    clientErrorHandler({ code: 'HPE_INVALID_HEADER_TOKEN' }, s);
    expect(s.destroy).toHaveBeenCalled();
  });
});

describe('createHttpCore without an adapter', () => {
  it('runs a route for a request that was never begun', async () => {
    const core = createHttpCore({
      routes: [{ method: 'GET', path: '/a/:id', handler: ({ params }) => params }],
      logger: quietLogger(),
    });
    const req = Object.assign(new (await import('node:stream')).PassThrough(), {
      method: 'GET',
      url: '/a/x%20y',
      headers: {},
    });
    const res = await core.run(core.routes[0] as never, req as never);
    expect(res.body).toBe('{"id":"x y"}');
  });
});

describe('deniedResource', () => {
  const policy = { auditResource: { type: 'client', param: 'id' } };
  it('names the resource from a string or number param', () => {
    expect(deniedResource(policy, { id: 'c1' })).toEqual({ type: 'client', id: 'c1' });
    expect(deniedResource(policy, { id: 7 })).toEqual({ type: 'client', id: '7' });
  });
  it('names none without a policy, params or a usable id', () => {
    expect(deniedResource(undefined, { id: 'c1' })).toBeUndefined();
    expect(deniedResource(policy, undefined)).toBeUndefined();
    expect(deniedResource(policy, { id: { nested: 1 } })).toBeUndefined();
  });
});
