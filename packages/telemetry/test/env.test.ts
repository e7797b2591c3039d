import { ConfigError, loadConfig, Secret } from '@plinth/config';
import { ConfigError as ErrorsConfigError, isAppError } from '@plinth/errors';
import { getTelemetry, startTelemetry, telemetryOptionsFromEnv } from '@plinth/telemetry';
import { telemetryFragment, telemetryOptionsFromConfig } from '@plinth/telemetry/config';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';

afterEach(async () => {
  await getTelemetry()?.shutdown();
});

/** What telemetryOptionsFromEnv throws: the ConfigError class @plinth/config exports (owned by @plinth/errors). */
function envError(env: Record<string, string>): ConfigError {
  try {
    telemetryOptionsFromEnv(env);
  } catch (error) {
    return error as ConfigError;
  }
  throw new Error('expected telemetryOptionsFromEnv to throw');
}

describe('telemetryOptionsFromEnv', () => {
  it('maps the standard OTEL_* variables to options', () => {
    const options = telemetryOptionsFromEnv({
      OTEL_SERVICE_NAME: 'clients',
      OTEL_RESOURCE_ATTRIBUTES:
        'service.version=1.2.3,deployment.environment.name=staging,team.name=core%20team',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc%3D%3D,x-tenant=t1',
      OTEL_EXPORTER_OTLP_TIMEOUT: '2000',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      OTEL_METRIC_EXPORT_INTERVAL: '15000',
    });
    expect(options).toEqual({
      service: { name: 'clients', version: '1.2.3', environment: 'staging' },
      otlpEndpoint: 'http://collector:4318',
      sampleRatio: 0.25,
      exportTimeoutMs: 2000,
      metricIntervalMs: 15000,
      resourceAttributes: { 'team.name': 'core team' },
      headers: { 'x-api-key': 'abc==', 'x-tenant': 't1' },
    });
  });

  it('lets the environment win over code defaults passed as base, and keeps the rest', () => {
    const options = telemetryOptionsFromEnv(
      { OTEL_SERVICE_NAME: 'from-env', NODE_ENV: 'test', OTEL_EXPORTER_OTLP_HEADERS: 'b=2' },
      { service: { name: 'from-code', version: '9' }, sampleRatio: 0.5, headers: { a: '1' } },
    );
    expect(options).toEqual({
      service: { name: 'from-env', version: '9', environment: 'test' },
      sampleRatio: 0.5,
      headers: { a: '1', b: '2' },
    });
  });

  it.each([
    ['parentbased_always_on', 1],
    ['PARENTBASED_ALWAYS_OFF', 0],
  ])('maps OTEL_TRACES_SAMPLER=%s to a ratio', (sampler, ratio) => {
    expect(telemetryOptionsFromEnv({ OTEL_TRACES_SAMPLER: sampler }).sampleRatio).toBe(ratio);
  });

  it('reads OTEL_SDK_DISABLED=true as enabled: false', () => {
    expect(telemetryOptionsFromEnv({ OTEL_SDK_DISABLED: 'TRUE' }).enabled).toBe(false);
    expect(telemetryOptionsFromEnv({ OTEL_SDK_DISABLED: 'false' }).enabled).toBeUndefined();
  });

  it.each([
    ['OTEL_TRACES_SAMPLER', 'jaeger_remote'],
    ['OTEL_TRACES_SAMPLER_ARG', '1.5'],
    ['OTEL_SDK_DISABLED', 'yes'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318'],
    ['OTEL_EXPORTER_OTLP_TIMEOUT', 'soon'],
    ['OTEL_METRIC_EXPORT_INTERVAL', '-1'],
    ['OTEL_RESOURCE_ATTRIBUTES', 'team.name'],
  ])('names %s when its value cannot be parsed, in a ConfigError', (name, value) => {
    const error = envError({ [name]: value });
    expect(isAppError(error)).toBe(true);
    // The root entry throws the very class @plinth/config exports: one instanceof catches both.
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toBeInstanceOf(ErrorsConfigError);
    expect(error).toMatchObject({
      name: 'ConfigError',
      code: 'CONFIG_INVALID',
      status: 500,
      expose: false,
      severity: 'critical',
    });
    expect(error.issues).toEqual([
      { key: name, path: [], code: 'invalid', reason: expect.stringMatching(/^must /) },
    ]);
    expect(error.message).toMatch(
      new RegExp(`^Invalid configuration \\(1 problem\\):\n  ${name}: must `),
    );
    expect(error.message).not.toContain(value);
  });

  it('lists every bad variable in one error, sorted, each once, as @plinth/config would', () => {
    const error = envError({
      OTEL_TRACES_SAMPLER_ARG: 'half',
      OTEL_EXPORTER_OTLP_TIMEOUT: 'soon',
      OTEL_RESOURCE_ATTRIBUTES: 'team.name,owner',
      OTEL_SERVICE_NAME: 'clients',
    });
    expect(error.issues.map((issue) => issue.key)).toEqual([
      'OTEL_EXPORTER_OTLP_TIMEOUT',
      'OTEL_RESOURCE_ATTRIBUTES',
      'OTEL_TRACES_SAMPLER_ARG',
    ]);
    // Everything a catch block or a log serialiser reads is what @plinth/config's class gives.
    const real = new ConfigError(error.issues);
    for (const key of [
      'name',
      'code',
      'status',
      'title',
      'severity',
      'expose',
      'message',
    ] as const) {
      expect(error[key]).toEqual(real[key]);
    }
    expect(error.details).toEqual(real.details);
    expect(error.errors).toEqual(real.errors);
    expect(error.message).not.toMatch(/half|soon|owner/);
  });

  it('never echoes a header value, even a malformed one', () => {
    const error = envError({ OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%ZZsuper-secret' });
    expect(error.issues.map((issue) => issue.key)).toEqual(['OTEL_EXPORTER_OTLP_HEADERS']);
    expect(error.message).not.toContain('super-secret');
    expect(JSON.stringify(error.toJSON())).not.toContain('super-secret');
  });

  it('refuses a header value that decodes to CR/LF, without echoing it', () => {
    const error = envError({ OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=s3cret%0D%0AInjected:%201' });
    expect(error.issues.map((issue) => issue.key)).toEqual(['OTEL_EXPORTER_OTLP_HEADERS']);
    expect(JSON.stringify(error.toJSON())).not.toContain('s3cret');
  });

  it('in production, reports a bad value once and keeps telemetry off instead of failing startup', () => {
    const logger = { error: vi.fn(), warn: vi.fn(), info: vi.fn() };
    const options = telemetryOptionsFromEnv(
      {
        NODE_ENV: 'production',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
        OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=%E0%A4%A',
      },
      { service: { name: 'clients' }, logger },
    );
    expect(startTelemetry(options).enabled).toBe(false);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    const [fields] = logger.warn.mock.calls[0] ?? [];
    expect(fields).toMatchObject({ code: 'CONFIG_INVALID' });
    expect(fields.issues.map((i: { key: string }) => i.key)).toEqual([
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'OTEL_EXPORTER_OTLP_HEADERS',
    ]);
    expect(JSON.stringify(fields)).not.toContain('%E0');
  });

  it('in production, still throws when the service marks telemetry as required', () => {
    expect(() =>
      telemetryOptionsFromEnv(
        { NODE_ENV: 'production', OTEL_TRACES_SAMPLER_ARG: 'half' },
        { service: { name: 'clients' }, required: true },
      ),
    ).toThrow(expect.objectContaining({ name: 'ConfigError', code: 'CONFIG_INVALID' }));
  });
});

describe('@plinth/telemetry/config', () => {
  it('loads the OTEL_* variables with loadConfig and parses them with the telemetry parser', async () => {
    const config = await loadConfig({
      schema: z.object({ ...telemetryFragment }),
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=k1',
        OTEL_TRACES_SAMPLER_ARG: '0.1',
      },
    });
    expect(config.OTEL_EXPORTER_OTLP_HEADERS).toBeInstanceOf(Secret);
    const options = telemetryOptionsFromConfig(config, { service: { name: 'clients' } });
    expect(options).toMatchObject({
      otlpEndpoint: 'http://collector:4318',
      headers: { 'x-api-key': 'k1' },
      sampleRatio: 0.1,
    });
  });

  it("never fails loadConfig on a bad OTEL value: the telemetry parser names it in @plinth/config's ConfigError", async () => {
    const config = await loadConfig({
      schema: z.object({ ...telemetryFragment }),
      env: { OTEL_TRACES_SAMPLER_ARG: 'most', OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=%ZZk3y' },
    });
    let error: unknown;
    try {
      telemetryOptionsFromConfig(config, { service: { name: 'clients' } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((issue) => issue.key)).toEqual([
      'OTEL_EXPORTER_OTLP_HEADERS',
      'OTEL_TRACES_SAMPLER_ARG',
    ]);
    expect(JSON.stringify((error as ConfigError).toJSON())).not.toMatch(/most|k3y/);
  });
});

describe('argument checks', () => {
  it.each([
    ['telemetryOptionsFromEnv(null)', () => telemetryOptionsFromEnv(null as never), 'env'],
    [
      'telemetryOptionsFromEnv({}, null)',
      () => telemetryOptionsFromEnv({}, null as never),
      'options',
    ],
    ['telemetryOptionsFromConfig(null)', () => telemetryOptionsFromConfig(null as never), 'config'],
    [
      'telemetryOptionsFromConfig({}, "x")',
      () => telemetryOptionsFromConfig({}, 'x' as never),
      'options',
    ],
  ])('%s throws an OptionsError naming the argument', (_label, call, path) => {
    let error: unknown;
    try {
      call();
    } catch (caught) {
      error = caught;
    }
    expect(isAppError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'INVALID_OPTIONS', name: 'OptionsError' });
    expect((error as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual([path]);
  });

  it('reports a non-object options argument with the message every package uses', () => {
    for (const [name, call] of [
      ['telemetryOptionsFromEnv', () => telemetryOptionsFromEnv({}, [] as never)],
      ['telemetryOptionsFromConfig', () => telemetryOptionsFromConfig({}, (() => ({})) as never)],
    ] as const) {
      expect(call).toThrow(
        expect.objectContaining({
          code: 'INVALID_OPTIONS',
          message: `${name}: options must be an object`,
          issues: [{ path: 'options', message: 'must be an object', code: 'invalid_option' }],
        }),
      );
    }
  });
});
