import { afterEach, describe, expect, it, vi } from 'vitest';

describe('@opentelemetry/api as an optional peer', () => {
  afterEach(() => {
    vi.doUnmock('node:module');
    vi.resetModules();
  });

  it('imports and builds headers when @opentelemetry/api cannot be resolved', async () => {
    vi.resetModules();
    vi.doMock('node:module', async (importOriginal) => {
      const real = await importOriginal<typeof import('node:module')>();
      return {
        ...real,
        createRequire: () => (id: string) => {
          throw Object.assign(new Error(`Cannot find module '${id}'`), {
            code: 'MODULE_NOT_FOUND',
          });
        },
      };
    });
    const mod = await import('../src/index.js');
    const { loadOtelApi } = await import('../src/otel.js');
    expect(loadOtelApi()).toBeNull();
    const ctx = mod.createRequestContext({ correlationId: 'no-otel' });
    expect(mod.runWithContext(ctx, () => mod.contextHeaders())).toEqual({
      'x-correlation-id': 'no-otel',
    });
  });
});
