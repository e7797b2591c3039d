import { createHealth } from '@plinth/health';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogger, type RunningApp, startApp } from '../support/apps.js';
import { contractOptions, FRAMEWORKS, readJson, useApp } from '../support/fixture.js';

const healthy = () =>
  createHealth({ checks: { cache: async () => 'ok' }, service: { name: 'contract' } });

describe.each(FRAMEWORKS)('OpenAPI and health routes on %s', (framework) => {
  const t = useApp(framework, {
    health: healthy(),
    openapi: { info: { title: 'Contract', version: '2.0.0' } },
  });

  it('serves an OpenAPI 3.1 document built from the route schemas', async () => {
    const res = await fetch(`${t.app.url}/openapi.json`);
    expect(res.status).toBe(200);
    const doc = await readJson(res);
    expect(doc).toMatchObject({ openapi: '3.1.0', info: { title: 'Contract', version: '2.0.0' } });
    const paths = doc.paths as Record<
      string,
      Record<string, { parameters?: unknown[]; requestBody?: unknown }>
    >;
    expect(paths['/v1/items/{id}']?.get?.parameters).toEqual([
      {
        name: 'id',
        in: 'path',
        required: true,
        schema: { type: 'string', pattern: '^[a-z0-9-]{1,36}$' },
      },
    ]);
    expect(paths['/v1/items']?.post?.requestBody).toMatchObject({
      content: {
        'application/json': {
          schema: { type: 'object', required: ['name', 'qty'], additionalProperties: false },
        },
      },
    });
    expect(paths['/health/live']).toBeUndefined();
  });

  it.each(['/health/live', '/health/live/', '/health/ready', '/health/ready/'])(
    'answers %s with health+json',
    async (path) => {
      const res = await fetch(`${t.app.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/health+json');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect((await readJson(res)).status).toBe('pass');
    },
  );

  it('answers HEAD on a probe without a body', async () => {
    const res = await fetch(`${t.app.url}/health/ready`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('logs probes at debug level', async () => {
    await fetch(`${t.app.url}/health/live`, { headers: { 'x-correlation-id': 'probe-1' } });
    await expect
      .poll(() => t.log.lines.find((l) => l.obj.correlationId === 'probe-1')?.level)
      .toBe('debug');
  });
});

describe.each(FRAMEWORKS)('switching system routes off on %s', (framework) => {
  const t = useApp(framework, { openapi: false });

  it('serves no OpenAPI document and no probes', async () => {
    expect((await fetch(`${t.app.url}/openapi.json`)).status).toBe(404);
    expect((await fetch(`${t.app.url}/health/live`)).status).toBe(404);
  });
});

describe('OpenAPI document across frameworks', () => {
  const apps: RunningApp[] = [];
  beforeAll(async () => {
    for (const f of FRAMEWORKS)
      apps.push(await startApp(f, contractOptions(captureLogger().logger)));
  });
  afterAll(() => Promise.all(apps.map((a) => a.close())));

  it('is byte-identical for Express and Fastify', async () => {
    const [a, b] = await Promise.all(
      apps.map(async (app) => (await fetch(`${app.url}/openapi.json`)).text()),
    );
    expect(b).toBe(a);
  });
});
