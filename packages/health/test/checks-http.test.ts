import type { Server } from 'node:http';
import { createHealth, httpCheck } from '@plinth/health';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from './helpers/closed-port.js';
import { optionPaths, optionsError } from './helpers/options-error.js';
import { assertHealthBody } from './helpers/schema.js';
import { close, listen } from './helpers/server.js';

describe('httpCheck against a real node:http dependency', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    ({ server, url } = await listen((req, res) => {
      if (req.url === '/hang') return; // never answers
      const status = Number(req.url?.split('?')[0]?.slice(1)) || 200;
      if (req.url === '/auth') {
        res.writeHead(
          req.headers.authorization === `Basic ${Buffer.from('user:p@ss').toString('base64')}`
            ? 200
            : 401,
        );
        res.end();
        return;
      }
      res.writeHead(status, status === 302 ? { location: '/200' } : {});
      res.end('body');
    }));
  });
  afterAll(() => close(server));

  const ready = (check: ReturnType<typeof httpCheck>) =>
    createHealth({ timeoutMs: 3000, checks: { billing: check } }).ready();

  it('passes on a 2xx', async () => {
    const res = await ready(httpCheck(`${url}/204`));
    assertHealthBody(res.body);
    expect(res.body.checks?.['billing:responseTime']?.[0]).toMatchObject({
      status: 'pass',
      componentType: 'component',
    });
  });

  it('fails on a status outside the allow-list, naming only the status', async () => {
    const res = await ready(httpCheck(`${url}/500?token=abc123`));
    expect(res.body.checks?.['billing:responseTime']?.[0]).toMatchObject({
      status: 'fail',
      output: 'unexpected status 500',
    });
    expect(JSON.stringify(res.body)).not.toContain('abc123');
  });

  it('judges a redirect by the allow-list instead of following it', async () => {
    expect((await ready(httpCheck(`${url}/302`))).body.status).toBe('fail');
    expect((await ready(httpCheck(`${url}/302`, { allowStatus: [302] }))).body.status).toBe('pass');
    expect(
      (await ready(httpCheck(`${url}/503`, { allowStatus: (s) => s < 600 }))).body.status,
    ).toBe('pass');
  });

  it('fails at its timeout when the dependency hangs', async () => {
    const res = await ready(httpCheck(`${url}/hang`, { timeoutMs: 50 }));
    expect(res.body.checks?.['billing:responseTime']?.[0]?.output).toBe('timed out after 50 ms');
  });

  it('fails with "connection refused" when the dependency is down', async () => {
    const res = await ready(httpCheck(`http://user:pw@127.0.0.1:${await closedPort()}/health`));
    expect(res.body.checks?.['billing:responseTime']?.[0]?.output).toBe('connection refused');
  });

  it('sends URL credentials as Basic auth', async () => {
    const authed = new URL(`${url}/auth`);
    authed.username = 'user';
    authed.password = 'p@ss';
    expect((await ready(httpCheck(authed))).body.status).toBe('pass');
  });

  it('rejects a URL that is not absolute http(s)', () => {
    expect(optionPaths(() => httpCheck('/relative'))).toEqual(['url']);
    expect(optionPaths(() => httpCheck('file:///etc/passwd'))).toEqual(['url']);
    const err = optionsError(() => httpCheck('http://user:S3cret@[bad'));
    expect(`${err.message} ${JSON.stringify(err.toJSON())}`).not.toContain('S3cret');
  });
});
