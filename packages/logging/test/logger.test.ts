import { OptionsError } from '@plinth/errors';
import { createLogger } from '@plinth/logging';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { capture } from './helpers.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('createLogger', () => {
  it('writes JSON lines with a level label, ISO time and base fields', () => {
    const { logger, raw, last } = capture();
    logger.info({ orderId: 'o1' }, 'order placed');
    expect(raw).toHaveLength(1);
    expect(raw[0]?.endsWith('\n')).toBe(true);
    const line = last();
    expect(line).toMatchObject({
      level: 'info',
      service: 'svc',
      version: '1.2.3',
      env: 'test',
      orderId: 'o1',
      msg: 'order placed',
    });
    expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(typeof line.pid).toBe('number');
  });

  it('starts the line with level and time so tools can scan it', () => {
    const { logger, raw } = capture();
    logger.warn('careful');
    expect(raw[0]).toMatch(/^\{"level":"warn","time":"/);
  });

  it('respects the level option and LOG_LEVEL by default', () => {
    const a = capture({ level: 'warn' });
    a.logger.info('dropped');
    a.logger.warn('kept');
    expect(a.lines().map((l) => l.msg)).toEqual(['kept']);

    vi.stubEnv('LOG_LEVEL', 'debug');
    const b = capture();
    b.logger.debug('debug line');
    expect(b.lines().map((l) => l.msg)).toEqual(['debug line']);
  });

  it('takes the ServiceInfo health and telemetry take as service', () => {
    const raw: string[] = [];
    const destination = { write: (line: string) => void raw.push(line) };
    const service = { name: 'billing', version: '2.0.0', environment: 'staging' };
    vi.stubEnv('OTEL_SERVICE_NAME', 'from-env');
    vi.stubEnv('NODE_ENV', 'production');
    createLogger({ service, pretty: false, destination }).info('x');
    // The flat options win over the ServiceInfo's fields.
    createLogger({ service, version: '2.0.1', env: 'qa', pretty: false, destination }).info('x');
    createLogger({ service: { name: 'jobs' }, pretty: false, destination }).info('x');
    const fields = raw.map((line) => {
      const { service, version, env } = JSON.parse(line);
      return { service, version, env };
    });
    expect(fields).toEqual([
      { service: 'billing', version: '2.0.0', env: 'staging' },
      { service: 'billing', version: '2.0.1', env: 'qa' },
      { service: 'jobs', version: undefined, env: 'production' },
    ]);
  });

  it('writes pretty lines when the ServiceInfo environment is development', () => {
    const raw: string[] = [];
    const destination = { write: (line: string) => void raw.push(line) };
    vi.stubEnv('NODE_ENV', 'production');
    createLogger({ service: { name: 'api', environment: 'development' }, destination }).info('d');
    createLogger({
      service: { name: 'api', environment: 'development' },
      env: 'production',
      destination,
    }).info('p');
    expect(raw[0]).not.toMatch(/^\{/);
    expect(raw[1]).toMatch(/^\{/);
  });

  it('rejects a service object without a string name (an old or foreign identity shape)', () => {
    for (const service of [{ serviceName: 'api' }, { name: 5 }, {}]) {
      expect(() => createLogger({ pretty: false, service } as never)).toThrow(
        expect.objectContaining({
          code: 'INVALID_OPTIONS',
          issues: [expect.objectContaining({ path: 'service.name' })],
        }),
      );
    }
  });

  it('rejects an unknown level with an OptionsError naming the option', () => {
    expect(() => createLogger({ level: 'verbose' as never, pretty: false })).toThrow(OptionsError);
    expect(() => createLogger({ level: 'verbose' as never, pretty: false })).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTIONS',
        issues: [expect.objectContaining({ path: 'level' })],
      }),
    );
  });

  it('rejects a redaction limit that is not a non-negative integer', () => {
    for (const maxDepth of [-1, 1.5, Number.NaN]) {
      expect(() => createLogger({ pretty: false, redact: { maxDepth } })).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTIONS' }),
      );
    }
  });

  it('rejects a destination without write() and a malformed otel option with an OptionsError', () => {
    const bad: Array<Record<string, unknown>> = [
      { destination: 5 },
      { destination: {} },
      { otel: 5 },
      { otel: {} },
      { otel: { trace: {} } },
    ];
    for (const options of bad) {
      expect(() => createLogger({ pretty: false, ...options } as never)).toThrow(
        expect.objectContaining({ name: 'OptionsError', code: 'INVALID_OPTIONS' }),
      );
    }
  });

  it.each([
    ['redact.keys given as a string', { redact: { keys: 'ssn' } }, 'redact.keys'],
    ['redact.paths given as a string', { redact: { paths: 'a.b' } }, 'redact.paths'],
    ['redact that is not an object', { redact: 'ssn' }, 'redact'],
    ['base given as a string', { base: 'xyz' }, 'base'],
    ['base given as an array', { base: ['x'] }, 'base'],
    ['a numeric service', { service: 5 }, 'service'],
    ['an object env', { env: { a: 1 } }, 'env'],
    ['a numeric version', { version: 5 }, 'version'],
    ['a numeric logger name', { name: 5 }, 'name'],
    ['a numeric service.version', { service: { name: 's', version: 2 } }, 'service.version'],
    ['a string pretty', { pretty: 'yes' }, 'pretty'],
    ['a string context', { context: 'no' }, 'context'],
    ['serializers given as a string', { serializers: 'x' }, 'serializers'],
  ])('rejects %s with an OptionsError naming the option', (_label, options, path) => {
    expect(() => createLogger({ pretty: false, ...options } as never)).toThrow(
      expect.objectContaining({
        name: 'OptionsError',
        code: 'INVALID_OPTIONS',
        issues: [expect.objectContaining({ path })],
      }),
    );
  });

  it('rejects options that are not an object, and takes null as no options', () => {
    for (const options of ['billing', 42, [{ level: 'info' }], () => ({})]) {
      expect(() => createLogger(options as never)).toThrow(
        expect.objectContaining({
          name: 'OptionsError',
          code: 'INVALID_OPTIONS',
          message: 'createLogger: options must be an object',
          issues: [{ path: 'options', message: 'must be an object', code: 'invalid_option' }],
        }),
      );
    }
    expect(() => createLogger(null as never)).not.toThrow();
  });

  it('rejects an invalid pino redaction path with an OptionsError', () => {
    expect(() => createLogger({ pretty: false, redact: { paths: ['a..b['] } })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
  });

  it('adds extra base fields and a logger name', () => {
    const { logger, last } = capture({ base: { region: 'eu-west-1' }, name: 'api' });
    logger.info('x');
    expect(last()).toMatchObject({ region: 'eu-west-1', name: 'api' });
  });

  it('writes human-readable lines through pino-pretty when pretty is on', () => {
    const raw: string[] = [];
    const logger = createLogger({
      pretty: true,
      destination: { write: (line: string) => void raw.push(line) },
    });
    logger.info({ orderId: 'o1', password: 'hunter2' }, 'pretty line');
    const text = raw.join('');
    expect(text).toContain('pretty line');
    expect(text).toContain('INFO');
    expect(text).not.toMatch(/^\{/);
    expect(text).not.toContain('hunter2');
  });

  it('follows NODE_ENV for pretty output only when it is exactly development', () => {
    const raw: string[] = [];
    const destination = { write: (line: string) => void raw.push(line) };
    vi.stubEnv('NODE_ENV', 'development');
    createLogger({ destination }).info('dev');
    vi.stubEnv('NODE_ENV', undefined as never);
    createLogger({ destination }).info('unset');
    expect(raw[0]).not.toMatch(/^\{/);
    expect(raw[1]).toMatch(/^\{/);
  });

  it('defaults to pretty output in development and JSON elsewhere', () => {
    const raw: string[] = [];
    const destination = { write: (line: string) => void raw.push(line) };
    createLogger({ env: 'development', destination }).info('dev');
    createLogger({ env: 'production', destination }).info('prod');
    expect(raw[0]).not.toMatch(/^\{/);
    expect(raw[1]).toMatch(/^\{/);
  });
});
