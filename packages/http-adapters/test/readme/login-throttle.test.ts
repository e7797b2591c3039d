import { scrypt, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { captureLogger, startApp } from '../support/apps.js';
import { type LoginDeps, loginRoute } from './login-example.js';

const here = (name: string) => new URL(name, import.meta.url);
const readme = readFileSync(here('../../README.md'), 'utf8');

// A small-cost stand-in for @plinth/crypto's scrypt hashes (not a dependency of this package).
const derive = promisify(scrypt) as (pw: string, salt: string, len: number) => Promise<Buffer>;
const hash = async (password: string) => (await derive(password, 'salt', 32)).toString('hex');
const deps = async (): Promise<LoginDeps> => {
  const users = new Map([
    ['t1/ada@example.com', { id: 'user-1', passwordHash: await hash('right') }],
  ]);
  return {
    findUser: async (tenantId, email) => users.get(`${tenantId}/${email.toLowerCase()}`),
    verifyPassword: async (password, stored) =>
      timingSafeEqual(Buffer.from(await hash(password), 'hex'), Buffer.from(stored, 'hex')),
    dummyHash: await hash('nobody has this password'),
  };
};

describe('README: failed-login throttle', () => {
  it('shows login-example.ts verbatim', () => {
    expect(readme).toContain(readFileSync(here('login-example.ts'), 'utf8').trim());
  });

  it.each(['express', 'fastify'] as const)('runs the login example on %s', async (framework) => {
    const app = await startApp(framework, {
      routes: [loginRoute(await deps())],
      logger: captureLogger().logger,
    });
    const login = (email: string, password: string) =>
      fetch(`${app.url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tenantId: 't1', email, password }),
      });
    try {
      expect(await (await login('ada@example.com', 'right')).json()).toEqual({ userId: 'user-1' });
      const unknown = `nobody-${framework}@example.com`;
      for (let i = 0; i < 5; i++) expect((await login(unknown, 'guess')).status).toBe(401);
      const locked = await login(unknown, 'guess');
      expect(locked.status).toBe(429);
      expect(['60', '59']).toContain(locked.headers.get('retry-after'));
    } finally {
      await app.close();
    }
  });
});
