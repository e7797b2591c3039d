import { loadConfig, Secret } from '@plinth/config';
import type { OptionsError } from '@plinth/errors';
import { getTelemetry, startTelemetry, telemetryOptionsFromEnv } from '@plinth/telemetry';
import { telemetryFragment, telemetryOptionsFromConfig } from '@plinth/telemetry/config';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';

afterEach(async () => {
  await getTelemetry()?.shutdown();
});

function envError(env: Record<string, string>): OptionsError {
  try {
    telemetryOptionsFromEnv(env);
  } catch (error) {
    return error as OptionsError;
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
    ['OTEL_TRACES_SAMPLER', 'always_on'],
    ['OTEL_TRACES_SAMPLER_ARG', '1.5'],
    ['OTEL_SDK_DISABLED', 'yes'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318'],
    ['OTEL_EXPORTER_OTLP_TIMEOUT', 'soon'],
    ['OTEL_METRIC_EXPORT_INTERVAL', '-1'],
    ['OTEL_RESOURCE_ATTRIBUTES', 'team.name'],
  ])('names %s when its value cannot be parsed', (name, value) => {
    const error = envError({ [name]: value });
    expect(error).toMatchObject({ code: 'TELEMETRY_ENV_INVALID', status: 500 });
    expect(error.issues.map((issue) => issue.path)).toEqual([name]);
    expect(error.message).toContain(name);
  });

  it('never echoes a header value, even a malformed one', () => {
    const error = envError({ OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%ZZsuper-secret' });
    expect(error.issues.map((issue) => issue.path)).toEqual(['OTEL_EXPORTER_OTLP_HEADERS']);
    expect(JSON.stringify(error.toJSON())).not.toContain('super-secret');
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
    expect(fields.issues.map((i: { path: string }) => i.path)).toEqual([
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
    ).toThrow(expect.objectContaining({ code: 'TELEMETRY_ENV_INVALID' }));
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

  it('never fails loadConfig on a bad OTEL value: the telemetry parser names it', async () => {
    const config = await loadConfig({
      schema: z.object({ ...telemetryFragment }),
      env: { OTEL_TRACES_SAMPLER_ARG: 'most' },
    });
    expect(() => telemetryOptionsFromConfig(config, { service: { name: 'clients' } })).toThrow(
      /OTEL_TRACES_SAMPLER_ARG/,
    );
  });
});
