import { isAppError, type OptionsError } from '@plinth/errors';
import {
  getTelemetry,
  startTelemetry,
  TELEMETRY_DEFAULTS,
  type TelemetryOptions,
} from '@plinth/telemetry';
import { afterEach, describe, expect, it } from 'vitest';
import { loadInstrumentations } from '../src/instrumentations.js';

afterEach(async () => {
  await getTelemetry()?.shutdown();
});

// Nothing is exported in these tests; a quiet logger and a short bound keep shutdown fast.
const endpoint = 'http://127.0.0.1:9';
const quiet = { logger: { error() {}, warn() {}, info() {} }, shutdownTimeoutMs: 300 };

function rejection(options: unknown): OptionsError {
  try {
    startTelemetry(options as TelemetryOptions);
  } catch (error) {
    return error as OptionsError;
  }
  throw new Error('expected startTelemetry to throw');
}

describe('startTelemetry option checks', () => {
  it.each([
    ['no options at all', undefined, 'options'],
    ['a missing service name', { service: {} }, 'service.name'],
    ['a blank service name', { service: { name: '  ' } }, 'service.name'],
    ['a sampleRatio above 1', { sampleRatio: 1.5 }, 'sampleRatio'],
    ['a NaN sampleRatio', { sampleRatio: Number.NaN }, 'sampleRatio'],
    ['a zero shutdownTimeoutMs', { shutdownTimeoutMs: 0 }, 'shutdownTimeoutMs'],
    ['a string exportTimeoutMs', { exportTimeoutMs: '100' }, 'exportTimeoutMs'],
    ['a non-http endpoint', { otlpEndpoint: 'ftp://collector' }, 'otlpEndpoint'],
    ['a relative endpoint', { otlpEndpoint: '/v1/traces' }, 'otlpEndpoint'],
    ['an endpoint with credentials', { otlpEndpoint: 'http://u:p@collector' }, 'otlpEndpoint'],
    ['an unknown instrumentation', { instrumentations: ['mysql'] }, 'instrumentations.0'],
    ['a string enabled', { enabled: 'false', otlpEndpoint: endpoint }, 'enabled'],
    ['headers given as a string', { headers: 'Authorization=Bearer x' }, 'headers'],
    [
      'a header value with CR/LF',
      { headers: { 'x-api-key': 'k\r\nInjected: 1' } },
      'headers.x-api-key',
    ],
    ['a header value that is not a string', { headers: { 'x-api-key': 5 } }, 'headers.x-api-key'],
    ['an invalid header name', { headers: { 'x api key': 'k' } }, 'headers'],
    ['a logger without methods', { logger: 5 }, 'logger'],
    ['resourceAttributes given as a string', { resourceAttributes: 'a=b' }, 'resourceAttributes'],
    ['instrumentations given as a string', { instrumentations: 'http' }, 'instrumentations'],
    [
      'an instrumentation config that is not an object',
      { instrumentations: [{ name: 'pg', config: 'x' }] },
      'instrumentations.0.config',
    ],
    ['options that are not an object', 'clients', 'options'],
    [
      'pg recording SQL parameter values',
      { instrumentations: [{ name: 'pg', config: { enhancedDatabaseReporting: true } }] },
      'instrumentations.0.config.enhancedDatabaseReporting',
    ],
  ])('rejects %s with an OptionsError naming the option', (_label, options, path) => {
    const error = rejection(
      typeof options === 'object' ? { service: { name: 's' }, ...options } : options,
    );
    expect(isAppError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'INVALID_OPTIONS', status: 500, expose: false });
    expect(error.issues.map((issue) => issue.path)).toEqual([path]);
    expect(getTelemetry()).toBeUndefined();
  });

  it('reports a non-object options argument at path options, with what it must hold', () => {
    for (const options of [undefined, null, 'clients', [], () => ({})]) {
      const error = rejection(options);
      expect(error.issues).toEqual([
        {
          path: 'options',
          message: 'must be an object with a service name',
          code: 'invalid_option',
        },
      ]);
      expect(error.message).toBe('startTelemetry: options must be an object with a service name');
    }
  });

  it('reports every problem at once', () => {
    const error = rejection({ service: { name: '' }, sampleRatio: -1, otlpEndpoint: 'nope' });
    expect(error.issues.map((issue) => issue.path).sort()).toEqual([
      'otlpEndpoint',
      'sampleRatio',
      'service.name',
    ]);
  });

  it('never echoes the endpoint, which may carry a token', () => {
    const error = rejection({
      service: { name: 's' },
      otlpEndpoint: 'http://u:tok3n-value@c:4318',
    });
    expect(JSON.stringify(error.toJSON())).not.toContain('tok3n-value');
    expect(error.message).not.toContain('tok3n-value');
  });

  it('never echoes a header value, which is a credential', () => {
    const error = rejection({
      service: { name: 's' },
      headers: { authorization: 'Bearer s3cret-value\r\nX: 1' },
    });
    const error2 = rejection({ service: { name: 's' }, headers: 'Authorization=s3cret-value' });
    for (const e of [error, error2]) {
      expect(e.code).toBe('INVALID_OPTIONS');
      expect(JSON.stringify(e.toJSON())).not.toContain('s3cret-value');
      expect(e.message).not.toContain('s3cret-value');
    }
  });

  it('documents its defaults in a frozen TELEMETRY_DEFAULTS', () => {
    expect(TELEMETRY_DEFAULTS).toMatchObject({
      sampleRatio: 1,
      enabled: true,
      shutdownTimeoutMs: 5000,
    });
    expect(Object.isFrozen(TELEMETRY_DEFAULTS)).toBe(true);
  });
});

describe('instrumentation selection', () => {
  it('enables every built-in whose package is installed by default', () => {
    const telemetry = startTelemetry({ service: { name: 's' }, otlpEndpoint: endpoint, ...quiet });
    expect([...telemetry.instrumentations].sort()).toEqual([
      '@fastify/otel',
      '@opentelemetry/instrumentation-aws-sdk',
      '@opentelemetry/instrumentation-express',
      '@opentelemetry/instrumentation-http',
      '@opentelemetry/instrumentation-ioredis',
      '@opentelemetry/instrumentation-pg',
      '@opentelemetry/instrumentation-pino',
      '@opentelemetry/instrumentation-runtime-node',
      '@opentelemetry/instrumentation-undici',
    ]);
  });

  it('enables exactly the listed instrumentations, by name or with config', () => {
    const telemetry = startTelemetry({
      service: { name: 's' },
      otlpEndpoint: endpoint,
      ...quiet,
      instrumentations: ['pg', { name: 'http', config: { ignoreIncomingRequestHook: () => true } }],
    });
    expect(telemetry.instrumentations).toEqual([
      '@opentelemetry/instrumentation-pg',
      '@opentelemetry/instrumentation-http',
    ]);
  });

  it('enables a ready-made instance at start and disables it at shutdown', async () => {
    const calls: string[] = [];
    const custom = {
      instrumentationName: 'custom',
      enable: () => calls.push('enable'),
      disable: () => calls.push('disable'),
      setTracerProvider: () => calls.push('tracer'),
      setMeterProvider: () => calls.push('meter'),
      getConfig: () => ({ enabled: false }),
    };
    const telemetry = startTelemetry({
      service: { name: 's' },
      otlpEndpoint: endpoint,
      ...quiet,
      instrumentations: [custom],
    });
    expect(telemetry.instrumentations).toEqual(['custom']);
    expect(calls).toEqual(expect.arrayContaining(['tracer', 'meter', 'enable']));
    await telemetry.shutdown();
    expect(calls.at(-1)).toBe('disable');
  });

  it('never records pg parameter values by default', () => {
    const [pg] = loadInstrumentations(['pg']);
    expect(pg?.getConfig()).toMatchObject({ enhancedDatabaseReporting: false });
  });

  it('leaves pino log correlation to @plinth/logging so keys are not repeated', () => {
    const [pino] = loadInstrumentations(['pino']);
    expect(pino?.getConfig()).toMatchObject({ disableLogCorrelation: true });
  });
});

describe('a listed instrumentation whose package is not installed', () => {
  const missing = (id: string) => {
    throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
  };

  it('is an OptionsError naming the package and its install command', () => {
    const error = (() => {
      try {
        loadInstrumentations(['fastify'], missing);
      } catch (e) {
        return e as OptionsError;
      }
    })();
    expect(error?.code).toBe('TELEMETRY_INSTRUMENTATION_MISSING');
    expect(error?.message).toContain('npm install @fastify/otel@^0.21.0');
  });

  it('is skipped silently in the default set', () => {
    expect(loadInstrumentations(undefined, missing)).toEqual([]);
  });

  it('lets any other load failure through unchanged', () => {
    const broken = () => {
      throw new SyntaxError('Unexpected token');
    };
    expect(() => loadInstrumentations(['pg'], broken)).toThrow(SyntaxError);
  });
});
