import { createServer } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  exitOnStartupFailure,
  listeningUrl,
  serverOptionsOf,
  trustProxyOf,
} from '../src/runtime.js';

describe('listeningUrl', () => {
  it('names an IPv4 address and the real port', () => {
    expect(listeningUrl({ address: '127.0.0.1', family: 'IPv4', port: 41463 })).toBe(
      'http://127.0.0.1:41463',
    );
  });

  it('brackets an IPv6 address', () => {
    expect(listeningUrl({ address: '::1', family: 'IPv6', port: 8080 })).toBe('http://[::1]:8080');
  });

  it('names a socket path or nothing', () => {
    expect(listeningUrl('/tmp/clients.sock')).toBe('unix:/tmp/clients.sock');
    expect(listeningUrl(null)).toBe('unix:');
  });
});

describe('trustProxyOf', () => {
  it('passes booleans and address lists through', () => {
    expect(trustProxyOf({ HTTP_TRUST_PROXY: true })).toBe(true);
    expect(trustProxyOf({ HTTP_TRUST_PROXY: ['10.0.0.0/8'] })).toEqual(['10.0.0.0/8']);
  });

  it('turns a hop count into a function both frameworks accept', () => {
    const trust = trustProxyOf({ HTTP_TRUST_PROXY: 2 }) as (a: string, hop: number) => boolean;
    expect([0, 1, 2].map((hop) => trust('10.0.0.1', hop))).toEqual([true, true, false]);
  });
});

describe('serverOptionsOf', () => {
  it('gives Node the configured timeouts, checked every second', () => {
    const options = serverOptionsOf({
      HTTP_REQUEST_TIMEOUT: 120_000,
      HTTP_HEADERS_TIMEOUT: 20_000,
      HTTP_KEEP_ALIVE_TIMEOUT: 72_000,
    });
    const server = createServer(options);
    expect({
      requestTimeout: server.requestTimeout,
      headersTimeout: server.headersTimeout,
      keepAliveTimeout: server.keepAliveTimeout,
    }).toEqual({ requestTimeout: 120_000, headersTimeout: 20_000, keepAliveTimeout: 72_000 });
    expect(options.connectionsCheckingInterval).toBe(1_000);
    expect(options.maxHeaderSize).toBe(16 * 1024);
  });
});

describe('exitOnStartupFailure', () => {
  afterEach(() => vi.restoreAllMocks());

  const capture = (err: unknown) => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    exitOnStartupFailure(err);
    expect(exit).toHaveBeenCalledWith(1);
    return JSON.parse(String(write.mock.calls[0]?.[0]));
  };

  it('lists every configuration problem by key, never a value', () => {
    const line = capture({
      code: 'CONFIG_INVALID',
      message: 'Invalid configuration',
      issues: [{ key: 'KMS_KEY_ID', reason: 'is required in production' }],
    });
    expect(line).toMatchObject({
      level: 'fatal',
      msg: 'start-up failed',
      code: 'CONFIG_INVALID',
      issues: ['KMS_KEY_ID: is required in production'],
    });
  });

  it('scrubs credentials from any other error', () => {
    const line = capture(new Error('connect failed for postgres://clients:hunter22@db:5432/x'));
    expect(line.code).toBe('STARTUP_FAILED');
    expect(JSON.stringify(line)).not.toContain('hunter22');
  });
});
