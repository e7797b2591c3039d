import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp } from '../support/apps.js';
import { STAFF_SECRET, staffToken } from '../support/tokens.js';

const here = (name: string) => new URL(name, import.meta.url);
const readme = readFileSync(here('../../README.md'), 'utf8');
const ID = '0b8a6f2e-4a8e-4c1e-9f55-1d2a3b4c5d6e';

describe('README examples', () => {
  const before = process.env.PORT;
  afterEach(() => {
    process.env.PORT = before;
  });

  it.each(['express-example.ts', 'fastify-example.ts', 'auth-example.ts', 'rate-limit-example.ts'])(
    'shows %s verbatim',
    (file) => {
      expect(readme).toContain(readFileSync(here(file), 'utf8').trim());
    },
  );

  it('runs the Express example', async () => {
    process.env.PORT = '0';
    const { server } = await import('./express-example.js');
    await new Promise((r) => (server.listening ? r(undefined) : server.once('listening', r)));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      expect(await (await fetch(`${url}/v1/clients/${ID}`)).json()).toEqual({
        id: ID,
        name: 'Ada',
      });
      expect((await fetch(`${url}/v1/clients/nope`)).status).toBe(400);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('runs the Fastify example', async () => {
    process.env.PORT = '0';
    const { app } = await import('./fastify-example.js');
    try {
      const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      expect(await (await fetch(`${url}/v1/clients/${ID}`)).json()).toEqual({
        id: ID,
        name: 'Ada',
      });
      expect((await fetch(`${url}/openapi.json`)).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it.each(['express', 'fastify'] as const)(
    'runs the authentication example on %s',
    async (framework) => {
      process.env.STAFF_JWT_SECRET = STAFF_SECRET;
      const { denials, options } = await import('./auth-example.js');
      const app = await startApp(framework, options);
      try {
        const url = `${app.url}/v1/clients/${ID}`;
        const admin = await staffToken({ scope: 'clients:write' });
        expect(
          (await fetch(url, { method: 'DELETE', headers: { authorization: `Bearer ${admin}` } }))
            .status,
        ).toBe(204);
        const reader = await staffToken({ roles: ['support'] });
        expect(
          (await fetch(url, { method: 'DELETE', headers: { authorization: `Bearer ${reader}` } }))
            .status,
        ).toBe(403);
        expect(denials.at(-1)).toMatchObject({
          action: 'auth.access.denied',
          actor: { id: 'staff-1', type: 'staff' },
        });
      } finally {
        await app.close();
      }
    },
  );

  it.each(['express', 'fastify'] as const)(
    'runs the rate-limit example on %s',
    async (framework) => {
      const { options } = await import('./rate-limit-example.js');
      const app = await startApp(framework, options);
      try {
        const hello = await fetch(`${app.url}/v1/hello`);
        expect(hello.headers.get('ratelimit-policy')).toBe('"default";q=100;w=60');
        expect(hello.headers.get('ratelimit')).toMatch(/^"default";r=\d+;t=\d+$/);
        // Both runs share the example's limiter (one module), so the quota may already be spent.
        const login = () => fetch(`${app.url}/v1/auth/login`, { method: 'POST' });
        let last = await login();
        expect(last.headers.get('ratelimit-policy')).toBe('"login";q=5;w=60');
        for (let i = 0; i < 5; i++) last = await login();
        expect(last.status).toBe(429);
        expect((await fetch(`${app.url}/health/ready`)).status).toBe(200);
      } finally {
        await app.close();
      }
    },
  );
});
