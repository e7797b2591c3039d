import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequestContext, runWithContext } from '@plinth/context';
import { REDACTED } from '@plinth/errors';
import { describe, expect, it } from 'vitest';
import { capture } from './helpers.js';

// Regression tests for the attack run (issue 13): each one leaked before.

/** Receive one real request and hand back the IncomingMessage. */
async function realRequest(path: string, headers: Record<string, string>) {
  let received: IncomingMessage | undefined;
  const server = createServer((req, res) => {
    received = req;
    res.setHeader('set-cookie', 'sid=server-secret');
    res.setHeader('content-type', 'text/plain');
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await (await fetch(`http://127.0.0.1:${port}${path}`, { headers })).text();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return received as IncomingMessage;
}

describe('logging a real request (13.4)', () => {
  const headers = {
    'x-api-key': 'ak_live_0123456789abcdef',
    cookie: 'connect.sid=s%3Asession-secret',
    authorization: 'Bearer abcdef0123456789',
    'user-agent': 'test-agent',
  };

  it('writes method, url and allow-listed headers of { req }, never the credentials', async () => {
    const req = await realRequest('/v1/cb?code=1&access_token=tok-secret', headers);
    const { logger, raw, last } = capture();
    logger.info({ req }, 'request');
    const line = raw.join('');
    for (const secret of [
      'ak_live_0123456789abcdef',
      'session-secret',
      'abcdef0123456789',
      'tok-secret',
    ]) {
      expect(line).not.toContain(secret);
    }
    expect(last().req).toEqual({
      method: 'GET',
      url: `/v1/cb?code=1&access_token=${REDACTED}`,
      headers: expect.objectContaining({ 'user-agent': 'test-agent' }),
    });
  });

  it('never leaks rawHeaders values when a request is logged under another key', async () => {
    const req = await realRequest('/', headers);
    const { logger, raw } = capture();
    logger.info({ incoming: { rawHeaders: req.rawHeaders, headers: req.headers } });
    expect(raw.join('')).not.toContain('ak_live_0123456789abcdef');
    expect(raw.join('')).not.toContain('session-secret');
  });
});

describe('printf messages (13.5)', () => {
  it('scans the joined message, not each argument alone', () => {
    const { logger, raw } = capture();
    logger.info('password: %s', 'hunter2');
    logger.info('%s=%s', 'client_secret', 'cs-0123456789');
    logger.info({ id: 1 }, 'payload %j', { user: 'ann', password: 'pw-0123' });
    const text = raw.join('');
    for (const secret of ['hunter2', 'cs-0123456789', 'pw-0123'])
      expect(text).not.toContain(secret);
    expect(JSON.parse(raw[1] as string).msg).toBe(`client_secret=${REDACTED}`);
  });

  it('formats like pino for numbers, %% and missing arguments', () => {
    const { logger, last } = capture();
    const info = logger.info.bind(logger) as (...args: unknown[]) => void;
    info('%d items, %i whole, 100%% done, %s left', 3.5, 2.9, 'none', 'extra');
    expect(last().msg).toBe('3.5 items, 2 whole, 100% done, none left');
    info('%s and %o', 'one');
    expect(last().msg).toBe('one and %o');
  });
});

describe('JSON encoded twice (13.6)', () => {
  it('redacts a password inside a JSON string inside a JSON string', () => {
    const { logger, raw } = capture();
    const body = JSON.stringify({ body: JSON.stringify({ user: 'ann', password: 'hunter2' }) });
    logger.info({ body }, body);
    expect(raw.join('')).not.toContain('hunter2');
  });
});

describe('key spellings (13.7)', () => {
  it('redacts the master keys of a process.env-like object', () => {
    const { logger, raw } = capture();
    logger.info({
      settings: { ENCRYPTION_KEYS: 'k1:AAAA', BLIND_INDEX_KEY: 'BBBB', NODE_ENV: 'production' },
      creds: { masterKey: 'm', signingKey: 's', hmacKey: 'h', privKey: 'p', mfaCode: '123456' },
      card: { cvv2: '123', cc_number: '4111', ccNumber: '4111' },
      jar: { 'connect.sid': 'x', sid: 'y' },
      person: { social_security_number: '078-05-1120', passcode: '0000' },
    });
    const line = JSON.parse(raw[0] as string);
    expect(line.settings).toEqual({
      ENCRYPTION_KEYS: REDACTED,
      BLIND_INDEX_KEY: REDACTED,
      NODE_ENV: 'production',
    });
    for (const group of ['creds', 'card', 'jar', 'person']) {
      expect(Object.values(line[group]).every((v) => v === REDACTED)).toBe(true);
    }
  });
});

describe('log forging (13.13)', () => {
  it('never writes a reserved key twice; the caller copies go under callerFields', () => {
    const { logger, raw, last } = capture();
    const forged = {
      level: 'fatal',
      time: 'then',
      service: 'evil',
      env: 'prod',
      pid: 1,
      hostname: 'h',
      version: '9',
      msg: 'fake',
    };
    logger.info(forged, 'real message');
    const line = last();
    expect(line).toMatchObject({
      level: 'info',
      service: 'svc',
      env: 'test',
      version: '1.2.3',
      msg: 'real message',
    });
    expect(line.time).not.toBe('then');
    expect(line.pid).toBe(process.pid);
    expect(line.callerFields).toEqual(forged);
    expect(raw[0]?.match(/"level":/g)).toHaveLength(2);
  });

  it('uses a msg field as the message when no message is given', () => {
    const { logger, last } = capture();
    logger.info({ msg: 'from field password=hunter2', id: 1 });
    expect(last()).toMatchObject({ msg: `from field password=${REDACTED}`, id: 1 });
    expect(last()).not.toHaveProperty('callerFields');
  });

  it("keeps the context's ids and moves a child's copies under callerBindings", () => {
    const { logger, last } = capture();
    const child = logger.child({ tenantId: 'forged', level: 'x', component: 'c' });
    runWithContext(createRequestContext({ tenantId: 'real' }), () => child.info('hi'));
    expect(last()).toMatchObject({
      level: 'info',
      tenantId: 'real',
      component: 'c',
      callerBindings: { tenantId: 'forged', level: 'x' },
    });
  });
});

describe('very wide values (13.14)', () => {
  it('keeps a line with a million keys and two million items bounded', () => {
    const wide: Record<string, number> = {};
    for (let i = 0; i < 1_000_000; i++) wide[`k${i}`] = i;
    const { logger, raw, last } = capture();
    logger.info({ wide, huge: new Array(2_000_000).fill(1) });
    expect((raw[0] as string).length).toBeLessThan(100_000);
    expect((last().wide as Record<string, unknown>)['[…]']).toBe('999000 more keys');
  }, 120_000);
});
