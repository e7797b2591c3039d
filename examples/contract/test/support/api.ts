import { connect } from 'node:net';
import { expect, inject } from 'vitest';
import type { Framework } from './harness.js';

export interface Reply<T = Json> {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed body for JSON and problem+json, else undefined. */
  readonly body: T;
  readonly text: string;
}

export type Json = any;

export interface CallOptions {
  token?: string;
  json?: unknown;
  body?: string | Uint8Array;
  headers?: Record<string, string>;
}

/** A thin client for one service: `call('GET', '/v1/clients', { token })`. */
export interface Api {
  readonly framework: Framework;
  readonly url: string;
  readonly port: number;
  call<T = Json>(method: string, path: string, options?: CallOptions): Promise<Reply<T>>;
}

export function apiFor(
  framework: Framework,
  url = inject('contract').services[framework].url,
): Api {
  return {
    framework,
    url,
    port: Number(new URL(url).port),
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
      let body = options.body;
      if (options.json !== undefined) {
        headers['content-type'] ??= 'application/json';
        body = JSON.stringify(options.json);
      }
      const res = await fetch(`${url}${path}`, { method, headers, body });
      return readReply(res);
    },
  };
}

export async function readReply(res: Response): Promise<Reply> {
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  let body: Json;
  if (/json/.test(type) && text.length > 0) body = JSON.parse(text);
  return { status: res.status, headers: res.headers, body, text };
}

/** Asserts an RFC 9457 problem+json reply with `status` (and `code` when given); returns the body. */
export function expectProblem(reply: Reply, status: number, code?: string): Json {
  expect(
    { status: reply.status, type: reply.headers.get('content-type') },
    `body: ${reply.text.slice(0, 400)}`,
  ).toEqual({ status, type: expect.stringMatching(/^application\/problem\+json/) });
  expect(reply.body).toMatchObject({ status, title: expect.any(String) });
  expect(typeof reply.body.type).toBe('string');
  if (code !== undefined) expect(reply.body.code).toBe(code);
  // Never a stack, never HTML.
  expect(reply.text).not.toMatch(/\bat .+\.(js|ts):\d+/);
  expect(reply.text).not.toMatch(/<html/i);
  return reply.body;
}

/** Send raw bytes over a fresh TCP connection and collect everything until the server closes or `ms` passes. */
export function rawRequest(port: number, payload: string | Buffer, ms = 3000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const timer = setTimeout(done, ms);
    socket.on('data', (c) => chunks.push(c));
    socket.on('close', done);
    socket.on('error', done);
    socket.write(payload);
  });
}

/** The status code of a raw HTTP/1.1 response, or 0 when there was none. */
export const statusOf = (raw: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);

/** A client body that passes validation; `n` makes the email unique. */
export const newClient = (tag: string, extra: Record<string, unknown> = {}) => ({
  name: `Ada Lovelace ${tag}`,
  email: `ada.${tag}.${Math.random().toString(36).slice(2, 10)}@example.com`,
  phone: '+44 20 7946 0000',
  ...extra,
});

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
