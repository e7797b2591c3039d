import { createLogger } from '@plinth/logging';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClientsApp } from '../src/app.js';
import { loadClientsConfig } from '../src/config.js';
import { migrateClientsDatabase } from '../src/migrations.js';
import { shutdownPlan, startClientsApp } from '../src/runtime.js';
import { freshSchema, testEnv } from './support.js';

const DATABASE_URL = process.env.DATABASE_URL;
const REDIS_URL = process.env.REDIS_URL;
const silent = () => createLogger({ level: 'silent' });

describe.skipIf(!DATABASE_URL)('app lifecycle on PostgreSQL (needs DATABASE_URL)', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('migrates once: a second run applies nothing', async () => {
    const schema = await freshSchema(DATABASE_URL as string);
    try {
      const env = { ...testEnv(), DATABASE_URL: schema.url };
      const config = await loadClientsConfig({ env, files: false });
      const first = await migrateClientsDatabase(config);
      expect(first).toContain('001_clients.sql');
      expect(first.some((name) => name.startsWith('audit/'))).toBe(true);
      expect(await migrateClientsDatabase(config)).toEqual([]);
    } finally {
      await schema.drop();
    }
  });

  it('fails to start when PostgreSQL is unreachable, and releases what it opened', async () => {
    for (const [key, value] of Object.entries(testEnv())) vi.stubEnv(key, value);
    vi.stubEnv('DATABASE_URL', 'postgres://postgres@127.0.0.1:1/none');
    vi.stubEnv('DATABASE_CONNECTION_TIMEOUT', '1s');
    await expect(startClientsApp()).rejects.toMatchObject({ code: 'DB_UNAVAILABLE' });
  });

  it('closes once however often it is asked, and plans the shutdown in order', async () => {
    const config = await loadClientsConfig({
      env: { ...testEnv(), DATABASE_URL, SHUTDOWN_DRAIN_DELAY: '0s' },
      files: false,
    });
    const app = createClientsApp(config, { logger: silent() });
    const plan = shutdownPlan(app, config);
    expect(plan).toMatchObject({ health: app.health, drainDelayMs: 0, timeoutMs: 10_000 });
    const hooks = (plan.hooks ?? []) as { name: string; run: () => Promise<unknown> }[];
    expect(hooks.map((h) => h.name)).toEqual(['app', 'telemetry', 'log']);
    for (const hook of hooks) await hook.run();
    await expect(app.close()).resolves.toBeUndefined();
  });

  it.skipIf(!REDIS_URL)('connects Redis when configured and reports it in readiness', async () => {
    const config = await loadClientsConfig({
      env: { ...testEnv(), DATABASE_URL, REDIS_URL },
      files: false,
    });
    const app = createClientsApp(config, { logger: silent() });
    try {
      await app.start();
      expect(app.deps.redis?.status).toBe('ready');
      const { body } = await app.health.ready();
      const checks = (body as { checks: Record<string, { status: string }[]> }).checks;
      expect(checks['redis:responseTime']?.[0]?.status).toBe('pass');
      expect(checks['rateLimit:responseTime']?.[0]?.status).toBe('pass');
    } finally {
      await app.close();
    }
    await vi.waitFor(() => expect(app.deps.redis?.status).toBe('end'));
  });

  it('fails to start when the configured Redis is unreachable, logging it once without the URL', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      destination: { write: (line: string) => void lines.push(line) },
    });
    const config = await loadClientsConfig({
      env: { ...testEnv(), DATABASE_URL, REDIS_URL: 'redis://:s3cret@127.0.0.1:1' },
      files: false,
    });
    const app = createClientsApp(config, { logger });
    await expect(app.start()).rejects.toThrow();
    await app.close();
    const warnings = lines.filter((l) => l.includes('redis unavailable'));
    expect(warnings).toHaveLength(1);
    expect(lines.join('\n')).not.toContain('s3cret');
  });
});
