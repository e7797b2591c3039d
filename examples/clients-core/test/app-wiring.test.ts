import { createLogger } from '@plinth/logging';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClientsApp } from '../src/app.js';
import { loadClientsConfig } from '../src/config.js';
import { startClientsApp } from '../src/runtime.js';
import { capturingLogger, testEnv } from './support.js';

const DATABASE_URL = process.env.DATABASE_URL;

/** Nothing connects before `start()`: an address nobody listens on will do. */
const offlineEnv = () => ({ ...testEnv(), DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });

const routeKeys = (routes: readonly { method: string; path: string }[] = []) =>
  routes.map((r) => `${r.method} ${r.path}`);

describe('createClientsApp wiring (nothing connects)', () => {
  it('mounts staff accounts and login, public, when it signs tokens itself', async () => {
    const config = await loadClientsConfig({ env: offlineEnv(), files: false });
    const app = createClientsApp(config, { logger: createLogger({ level: 'silent' }) });
    try {
      const keys = routeKeys(app.httpOptions.routes);
      expect(keys).toEqual(
        expect.arrayContaining([
          'POST /v1/users',
          'POST /v1/auth/login',
          'POST /v1/auth/refresh',
          'POST /v1/auth/logout',
          'GET /v1/me',
          'GET /v1/me/documents',
        ]),
      );
      // Public routes carry the credential in the body: no bearer token.
      const login = app.httpOptions.routes?.find((r) => r.path === '/v1/auth/login');
      expect(login?.policy).toEqual({ auth: 'none' });
    } finally {
      await app.close();
    }
  });

  it('leaves accounts and login to the identity provider with AUTH_JWKS_URL: only /v1/me', async () => {
    const config = await loadClientsConfig({
      env: {
        ...offlineEnv(),
        AUTH_JWT_SECRET: undefined,
        AUTH_JWKS_URL: 'https://id.example.com/.well-known/jwks.json',
      },
      files: false,
    });
    const { logger, lines } = capturingLogger();
    const app = createClientsApp(config, { logger });
    try {
      const keys = routeKeys(app.httpOptions.routes);
      expect(keys).toContain('GET /v1/me');
      expect(keys).toContain('GET /v1/clients');
      for (const gone of ['POST /v1/users', 'POST /v1/auth/login', 'POST /v1/auth/refresh'])
        expect(keys).not.toContain(gone);
      expect(lines.map((l) => l.msg)).toContain(
        'AUTH_JWKS_URL is set: staff accounts and login are left to the identity provider',
      );
    } finally {
      await app.close();
    }
  });

  it('refuses to assemble when a feature refuses its options (no KMS key in staging)', async () => {
    const loaded = await loadClientsConfig({ env: offlineEnv(), files: false });
    // What the configuration schema already refuses, checked again where the key is used.
    const config = { ...loaded, NODE_ENV: 'staging' as const };
    expect(() => createClientsApp(config, { logger: createLogger({ level: 'silent' }) })).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTIONS',
        message: expect.stringContaining('KMS_KEY_ID'),
      }),
    );
  });
});

describe.skipIf(!DATABASE_URL)('startClientsApp (needs DATABASE_URL)', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('loads the configuration from the environment and starts the app', async () => {
    for (const [key, value] of Object.entries(testEnv())) vi.stubEnv(key, value);
    vi.stubEnv('DATABASE_URL', DATABASE_URL);
    vi.stubEnv('DOCUMENT_RETENTION_DAYS', '7');
    const { app, config } = await startClientsApp();
    try {
      expect(config.DOCUMENT_RETENTION_DAYS).toBe(7);
      expect(config.NODE_ENV).toBe('test');
      const ready = await app.health.ready();
      expect(
        (ready.body as { checks: Record<string, { status: string }[]> }).checks[
          'postgres:responseTime'
        ]?.[0]?.status,
      ).toBe('pass');
    } finally {
      await app.close();
    }
  });
});
