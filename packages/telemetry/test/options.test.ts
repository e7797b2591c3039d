import { isAppError, ValidationError } from '@plinth/errors';
import {
  getTelemetry,
  startTelemetry,
  TELEMETRY_DEFAULTS,
  type TelemetryOptions,
} from '@plinth/telemetry';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';

afterEach(async () => {
  await getTelemetry()?.shutdown();
});

function rejection(options: unknown): ValidationError {
  try {
    startTelemetry(options as TelemetryOptions);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected startTelemetry to throw');
}

describe('startTelemetry option validation', () => {
  it.each([
    ['a non-object', null, ''],
    ['a missing serviceName', {}, 'serviceName'],
    ['a blank serviceName', { serviceName: '  ' }, 'serviceName'],
    ['a serviceName with a newline', { serviceName: 'a\nb' }, 'serviceName'],
    ['a sampleRatio above 1', { serviceName: 's', sampleRatio: 1.5 }, 'sampleRatio'],
    ['a NaN sampleRatio', { serviceName: 's', sampleRatio: Number.NaN }, 'sampleRatio'],
    ['a non-http endpoint', { serviceName: 's', otlpEndpoint: 'ftp://collector' }, 'otlpEndpoint'],
    ['a relative endpoint', { serviceName: 's', otlpEndpoint: '/v1/traces' }, 'otlpEndpoint'],
    [
      'an endpoint with credentials',
      { serviceName: 's', otlpEndpoint: 'http://u:p@collector' },
      'otlpEndpoint',
    ],
    [
      'an unknown instrumentation',
      { serviceName: 's', instrumentations: ['mysql'] },
      'instrumentations.0',
    ],
    [
      'a duplicated instrumentation',
      { serviceName: 's', instrumentations: ['http', 'http'] },
      'instrumentations.1',
    ],
    [
      'a non-array instrumentations',
      { serviceName: 's', instrumentations: 'http' },
      'instrumentations',
    ],
    ['a logger without warn', { serviceName: 's', logger: {} }, 'logger'],
    ['a non-boolean enabled', { serviceName: 's', enabled: 'yes' }, 'enabled'],
    ['a zero shutdownTimeoutMs', { serviceName: 's', shutdownTimeoutMs: 0 }, 'shutdownTimeoutMs'],
    [
      'an object resource attribute',
      { serviceName: 's', resourceAttributes: { a: {} } },
      'resourceAttributes.a',
    ],
    [
      'a mixed-type array attribute',
      { serviceName: 's', resourceAttributes: { a: [1, 'x'] } },
      'resourceAttributes.a',
    ],
    ['an unknown option', { serviceName: 's', endpoint: 'http://x' }, 'endpoint'],
  ])('rejects %s with a ValidationError naming the field', (_label, options, path) => {
    const error = rejection(options);
    expect(isAppError(error)).toBe(true);
    expect(error.code).toBe('TELEMETRY_OPTIONS_INVALID');
    expect(error.errors.map((issue) => issue.path)).toContain(path);
  });

  it('reports every problem at once', () => {
    const error = rejection({ serviceName: '', sampleRatio: -1, otlpEndpoint: 'nope' });
    expect(error.errors.map((issue) => issue.path).sort()).toEqual([
      'otlpEndpoint',
      'sampleRatio',
      'serviceName',
    ]);
  });

  it('never echoes a header value, whatever it contains', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 8 }), (secret) => {
        const value = `${secret}\r\nX-Injected: 1`;
        const error = rejection({
          serviceName: 's',
          headers: { 'x-api-key': value, 'bad name': secret },
        });
        const text = `${error.message} ${JSON.stringify(error.errors)} ${JSON.stringify(error)}`;
        expect(text).not.toContain(secret);
        expect(error.errors.map((issue) => issue.path)).toEqual(['headers.x-api-key', 'headers']);
      }),
    );
  });

  it('never echoes the endpoint, which may carry a token', () => {
    const error = rejection({
      serviceName: 's',
      otlpEndpoint: 'http://user:tok3n-value@collector:4318',
    });
    expect(JSON.stringify(error)).not.toContain('tok3n-value');
    expect(error.message).not.toContain('tok3n-value');
  });

  it('refuses a pg instrumentation that would record SQL parameter values', () => {
    expect(() =>
      startTelemetry({
        serviceName: 's',
        otlpEndpoint: 'http://127.0.0.1:4318',
        instrumentations: [{ name: 'pg', config: { enhancedDatabaseReporting: true } }],
      }),
    ).toThrow(ValidationError);
    expect(getTelemetry()).toBeUndefined();
  });

  it('documents its defaults in TELEMETRY_DEFAULTS', () => {
    expect(TELEMETRY_DEFAULTS).toMatchObject({
      sampleRatio: 1,
      enabled: true,
      shutdownTimeoutMs: 5000,
    });
    expect(Object.isFrozen(TELEMETRY_DEFAULTS)).toBe(true);
  });
});

describe('instrumentation selection', () => {
  it('enables http plus every installed optional instrumentation by default', () => {
    const telemetry = startTelemetry({ serviceName: 's', otlpEndpoint: 'http://127.0.0.1:4318' });
    expect([...telemetry.instrumentations].sort()).toEqual([
      '@fastify/otel',
      '@opentelemetry/instrumentation-express',
      '@opentelemetry/instrumentation-http',
      '@opentelemetry/instrumentation-pg',
    ]);
  });

  it('enables exactly the listed instrumentations, by name or with config', () => {
    const telemetry = startTelemetry({
      serviceName: 's',
      otlpEndpoint: 'http://127.0.0.1:4318',
      instrumentations: ['pg', { name: 'http', config: { ignoreIncomingRequestHook: () => true } }],
    });
    expect(telemetry.instrumentations).toEqual([
      '@opentelemetry/instrumentation-pg',
      '@opentelemetry/instrumentation-http',
    ]);
  });

  it('accepts a ready-made instrumentation instance', () => {
    const calls: string[] = [];
    const custom = {
      instrumentationName: 'custom',
      enable: () => calls.push('enable'),
      disable: () => calls.push('disable'),
      setTracerProvider: () => calls.push('provider'),
      getConfig: () => ({ enabled: false }),
    };
    const telemetry = startTelemetry({
      serviceName: 's',
      otlpEndpoint: 'http://127.0.0.1:4318',
      instrumentations: [custom],
    });
    expect(telemetry.instrumentations).toEqual(['custom']);
    expect(calls).toContain('enable');
    return telemetry.shutdown().then(() => expect(calls.at(-1)).toBe('disable'));
  });
});
