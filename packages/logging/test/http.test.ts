import { createRequestContext, runWithContext } from '@plinth/context';
import { REDACTED } from '@plinth/errors';
import { serializeRequest, serializeResponse } from '@plinth/logging';
import { describe, expect, it } from 'vitest';
import { capture } from './helpers.js';

describe('serializeRequest', () => {
  it('prefers originalUrl, redacts encoded sensitive parameter names and keeps the fragment', () => {
    const out = serializeRequest({
      method: 'POST',
      url: '/inner',
      originalUrl: '/v1/login?user=ann&access%5Ftoken=abc&bad=%E0%A4%A&flag#top',
      headers: { 'content-type': 'application/json', cookie: 'sid=1' },
    });
    expect(out).toEqual({
      method: 'POST',
      url: `/v1/login?user=ann&access%5Ftoken=${REDACTED}&bad=%E0%A4%A&flag#top`,
      headers: { 'content-type': 'application/json' },
    });
  });

  it('copes with a request that has no headers or url', () => {
    expect(serializeRequest({ method: 'GET' })).toEqual({
      method: 'GET',
      url: undefined,
      headers: {},
    });
  });
});

describe('serializeResponse', () => {
  it('keeps the status and allow-listed headers, never set-cookie', () => {
    const res = {
      statusCode: 201,
      getHeaders: () => ({ 'set-cookie': 'sid=secret', location: '/v1/clients/1' }),
    };
    expect(serializeResponse(res)).toEqual({
      statusCode: 201,
      headers: { location: '/v1/clients/1' },
    });
  });

  it('survives getHeaders throwing', () => {
    const res = {
      statusCode: 500,
      getHeaders: () => {
        throw new Error('boom');
      },
    };
    expect(serializeResponse(res)).toEqual({ statusCode: 500, headers: {} });
  });

  it('is applied to a response logged as res', () => {
    const { logger, raw, last } = capture();
    logger.info({
      res: { statusCode: 200, getHeaders: () => ({ 'set-cookie': 'sid=s3cr3t' }) },
    });
    expect(raw.join('')).not.toContain('s3cr3t');
    expect(last().res).toEqual({ statusCode: 200, headers: {} });
  });

  it('leaves a plain req object that a serializer already shaped to the redactor', () => {
    const { logger, last } = capture();
    logger.info({ req: { method: 'GET', url: '/x', headers: { authorization: 'Basic abc' } } });
    expect(last().req).toEqual({ method: 'GET', url: '/x', headers: { authorization: REDACTED } });
  });
});

describe('line edge cases', () => {
  it('writes an own __proto__ field as a field, not a prototype', () => {
    const { logger, last } = capture();
    const fields = JSON.parse('{"__proto__": {"polluted": 1}, "ok": 1}');
    logger.info(fields);
    expect(last()).toMatchObject({ ok: 1 });
    runWithContext(createRequestContext({ tenantId: 't1' }), () => logger.info(fields));
    expect(last()).toMatchObject({ ok: 1, tenantId: 't1' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('logs a hostile top-level object as [Unserializable] without throwing', () => {
    const { logger, last } = capture();
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('trap');
        },
      },
    );
    expect(() => logger.info(hostile)).not.toThrow();
    expect(last()).toMatchObject({ value: '[Unserializable]' });
  });

  it('keeps reserved keys out of setBindings too', () => {
    const { logger, last } = capture();
    logger.setBindings({ service: 'other', region: 'eu' });
    logger.info('x');
    expect(last()).toMatchObject({
      service: 'svc',
      region: 'eu',
      callerBindings: { service: 'other' },
    });
  });
});
