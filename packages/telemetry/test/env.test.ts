import { ValidationError } from '@plinth/errors';
import { telemetryOptionsFromEnv } from '@plinth/telemetry';
import { describe, expect, it } from 'vitest';

function envError(env: Record<string, string>): ValidationError {
  try {
    telemetryOptionsFromEnv(env);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
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
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
    });
    expect(options).toEqual({
      serviceName: 'clients',
      serviceVersion: '1.2.3',
      environment: 'staging',
      otlpEndpoint: 'http://collector:4318',
      sampleRatio: 0.25,
      resourceAttributes: { 'team.name': 'core team' },
      headers: { 'x-api-key': 'abc==', 'x-tenant': 't1' },
    });
  });

  it('lets the environment override code defaults passed as base', () => {
    const logger = { warn: () => {} };
    const options = telemetryOptionsFromEnv(
      { OTEL_SERVICE_NAME: 'from-env', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/t' },
      { serviceName: 'from-code', sampleRatio: 0.5, logger },
    );
    expect(options).toEqual({
      serviceName: 'from-env',
      sampleRatio: 0.5,
      logger,
      otlpTracesEndpoint: 'http://c:4318/t',
    });
  });

  it('falls back to service.name in OTEL_RESOURCE_ATTRIBUTES and NODE_ENV for the environment', () => {
    const options = telemetryOptionsFromEnv({
      OTEL_RESOURCE_ATTRIBUTES: 'service.name=svc',
      NODE_ENV: 'production',
    });
    expect(options).toEqual({ serviceName: 'svc', environment: 'production' });
  });

  it('disables telemetry with OTEL_SDK_DISABLED=true', () => {
    expect(telemetryOptionsFromEnv({ OTEL_SDK_DISABLED: 'TRUE' }).enabled).toBe(false);
    expect(telemetryOptionsFromEnv({ OTEL_SDK_DISABLED: 'false' }).enabled).toBeUndefined();
  });

  it.each([
    ['parentbased_always_on', 1],
    ['parentbased_always_off', 0],
  ])('maps OTEL_TRACES_SAMPLER=%s to sampleRatio %d', (sampler, ratio) => {
    expect(
      telemetryOptionsFromEnv({ OTEL_TRACES_SAMPLER: sampler, OTEL_TRACES_SAMPLER_ARG: '0.3' })
        .sampleRatio,
    ).toBe(ratio);
  });

  it('reads nothing from an empty environment', () => {
    expect(telemetryOptionsFromEnv({})).toEqual({});
  });

  it('reports every bad variable at once, by name', () => {
    const error = envError({
      OTEL_TRACES_SAMPLER: 'always_on',
      OTEL_SDK_DISABLED: 'maybe',
      OTEL_RESOURCE_ATTRIBUTES: '=oops',
    });
    expect(error.code).toBe('TELEMETRY_ENV_INVALID');
    expect(error.errors.map((issue) => issue.path).sort()).toEqual([
      'OTEL_RESOURCE_ATTRIBUTES',
      'OTEL_SDK_DISABLED',
      'OTEL_TRACES_SAMPLER',
    ]);
  });

  it('rejects an out-of-range OTEL_TRACES_SAMPLER_ARG', () => {
    expect(envError({ OTEL_TRACES_SAMPLER_ARG: '2' }).errors[0]?.path).toBe(
      'OTEL_TRACES_SAMPLER_ARG',
    );
  });

  it('never echoes a header value from OTEL_EXPORTER_OTLP_HEADERS', () => {
    const error = envError({ OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=secret-%zz-value' });
    expect(JSON.stringify(error)).not.toContain('secret');
    expect(error.message).not.toContain('secret');
  });
});
