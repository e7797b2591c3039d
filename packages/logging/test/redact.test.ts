import { CIRCULAR, TRUNCATED } from '@plinth/errors';
import { createLogSerializer } from '@plinth/logging';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capture } from './helpers.js';

/** A stand-in for @plinth/config's Secret: branded, prints [redacted] through JSON. */
function fakeSecret(value: string) {
  return {
    [Symbol.for('plinth.secret.v1')]: true,
    reveal: () => value,
    toJSON: () => '[redacted]',
  };
}

// Secrets long and odd enough never to occur in a line by chance.
const secretArb = fc
  .string({ unit: 'grapheme', minLength: 12, maxLength: 40 })
  .map((s) => `S3CR3T-${s}`)
  .filter((s) => !s.includes('\\'));
const sensitiveKeyArb = fc.constantFrom(
  'password',
  'Password',
  'PASSWORD',
  'client_secret',
  'x-api-key',
  'Authorization',
  'refreshToken',
  'cookie',
  'ssn',
  'cardNumber',
);
const plainKeyArb = fc.constantFrom('data', 'items', 'nested', 'payload', 'meta', 'list');

function nest(depth: number, key: string, secret: string, wrapInArray: boolean[]): unknown {
  let value: unknown = { [key]: secret, visible: 'ok' };
  for (let i = 0; i < depth; i++) {
    value = wrapInArray[i] ? [{ other: 1 }, value] : { [`level${i}`]: value };
  }
  return value;
}

describe('redaction', () => {
  it('never prints a secret nested up to 6 levels deep or inside arrays of objects', () => {
    fc.assert(
      fc.property(
        secretArb,
        sensitiveKeyArb,
        plainKeyArb,
        fc.integer({ min: 0, max: 6 }),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        (secret, key, outer, depth, arrays) => {
          const { logger, raw } = capture();
          logger.info({ [outer]: nest(depth, key, secret, arrays) }, 'deep');
          const line = raw.join('');
          expect(line).not.toContain(JSON.stringify(secret).slice(1, -1));
          expect(line).toContain('[redacted]');
          expect(line).toContain('"visible":"ok"');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('redacts a secret exactly 6 levels deep and inside an array of objects', () => {
    const { logger, last } = capture();
    logger.info({
      a: { b: { c: { d: { e: { f: { password: 'hunter2', keep: 1 } } } } } },
      users: [
        { name: 'ann', apiKey: 'k-1' },
        { name: 'bob', API_KEY: 'k-2' },
      ],
    });
    const line = last();
    expect(line.a).toEqual({ b: { c: { d: { e: { f: { password: '[redacted]', keep: 1 } } } } } });
    expect(line.users).toEqual([
      { name: 'ann', apiKey: '[redacted]' },
      { name: 'bob', API_KEY: '[redacted]' },
    ]);
  });

  it('redacts top-level sensitive fields whatever the case', () => {
    const { logger, last } = capture();
    logger.info({ Authorization: 'Bearer abc', SESSION_ID: 's', user: 'ann' });
    expect(last()).toMatchObject({
      Authorization: '[redacted]',
      SESSION_ID: '[redacted]',
      user: 'ann',
    });
  });

  it('redacts Secret-branded values wherever they are', () => {
    fc.assert(
      fc.property(secretArb, (secret) => {
        const { logger, raw } = capture();
        const s = fakeSecret(secret);
        logger.info({ db: { url: s }, list: [s], harmlessName: s }, 'secrets');
        const line = raw.join('');
        expect(line).not.toContain(JSON.stringify(secret).slice(1, -1));
        const parsed = JSON.parse(line);
        expect(parsed.db.url).toBe('[redacted]');
        expect(parsed.list).toEqual(['[redacted]']);
        expect(parsed.harmlessName).toBe('[redacted]');
      }),
      { numRuns: 50 },
    );
  });

  it('redacts a Secret whose toJSON would leak it', () => {
    const { logger, raw } = capture();
    const leaky = { [Symbol.for('plinth.secret.v1')]: true, toJSON: () => 'LEAKED-VALUE' };
    logger.info({ conn: leaky });
    expect(raw[0]).not.toContain('LEAKED-VALUE');
  });

  it('redacts extra keys and pino paths from the options', () => {
    const { logger, last } = capture({
      redact: { keys: ['dateOfBirth', /^x-internal-/], paths: ['req.body.note'] },
    });
    logger.info({
      user: { DateOfBirth: '1990-01-01' },
      headers: { 'x-internal-route': 'r' },
      req: { body: { note: 'free text', id: 1 } },
    });
    expect(last()).toMatchObject({
      user: { DateOfBirth: '[redacted]' },
      headers: { 'x-internal-route': '[redacted]' },
      req: { body: { note: '[redacted]', id: 1 } },
    });
  });

  it('redacts child logger bindings and base fields', () => {
    const { logger, last } = capture({ base: { apiToken: 'base-secret' } });
    logger
      .child({ session: 'child-secret', component: 'c' })
      .child({ nested: { password: 'p' } })
      .info('x');
    const line = last();
    expect(line).toMatchObject({ apiToken: '[redacted]', session: '[redacted]', component: 'c' });
    expect(line.nested).toEqual({ password: '[redacted]' });
  });

  it('keeps redaction when a child replaces the log formatter or adds serializers', () => {
    const { logger, last } = capture();
    const child = logger.child(
      {},
      {
        formatters: { log: (o) => ({ ...o, extra: { apiKey: 'from-formatter' } }) },
        serializers: {
          user: (u: { name: string }) => ({ name: u.name, password: 'from-serializer' }),
        },
      },
    );
    child.info({ user: { name: 'ann' }, token: 't' });
    const line = last();
    expect(line).toMatchObject({
      extra: { apiKey: '[redacted]' },
      user: { name: 'ann', password: '[redacted]' },
      token: '[redacted]',
    });
  });

  it('redacts the output of custom serializers', () => {
    const { logger, last } = capture({
      serializers: {
        req: (req: { headers: Record<string, string> }) => ({ headers: req.headers }),
      },
    });
    logger.info({ req: { headers: { cookie: 'sid=1', accept: '*/*' } } });
    expect(last().req).toEqual({ headers: { cookie: '[redacted]', accept: '*/*' } });
  });

  it('leaves the logged object untouched', () => {
    const { logger } = capture();
    const input = { nested: { password: 'p' }, list: [{ token: 't' }] };
    const before = structuredClone(input);
    logger.info(input);
    expect(input).toEqual(before);
  });

  it('handles cycles and very deep objects without throwing', () => {
    const { logger, last } = capture();
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    let deep: Record<string, unknown> = { password: 'deep-secret' };
    for (let i = 0; i < 30; i++) deep = { next: deep };
    logger.info({ a, deep });
    const line = last();
    expect((line.a as Record<string, unknown>).self).toBe('[Circular]');
    expect(JSON.stringify(line)).toContain('[Truncated]');
    expect(JSON.stringify(line)).not.toContain('deep-secret');
  });

  it('survives Proxy objects whose traps throw', () => {
    const { logger, last } = capture();
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('ownKeys');
        },
        get() {
          throw new Error('get');
        },
        getPrototypeOf() {
          throw new Error('getPrototypeOf');
        },
      },
    );
    logger.info({ hostile, nested: { hostile }, ok: 1 });
    expect(last()).toMatchObject({
      hostile: '[Unserializable]',
      nested: { hostile: '[Unserializable]' },
      ok: 1,
    });
  });

  it('redacts sensitive fields of class instances', () => {
    class Model {
      constructor(
        public password = 'p',
        public name = 'n',
      ) {}
    }
    const { logger, last } = capture();
    logger.info({ model: new Model() });
    expect(last().model).toEqual({ password: '[redacted]', name: 'n' });
  });

  it('survives getters that throw', () => {
    const { logger, last } = capture();
    const hostile = {
      get boom() {
        throw new Error('getter');
      },
      ok: 1,
    };
    logger.info({ hostile });
    expect(last().hostile).toEqual({ boom: '[Unreadable]', ok: 1 });
  });
});

describe('personal-data preset (redact.personalData)', () => {
  const VISA = '4111 1111 1111 1111';
  const IBAN = 'DE89 3704 0044 0532 0130 00';
  const client = {
    email: 'ann@example.com',
    phone: '+44 20 7946 0958',
    card: '4111111111111111',
    note: `paid with ${VISA} from ${IBAN}`,
    cardNumber: VISA,
  };

  it('is on by default: email, phone and card values are redacted by key and in strings', () => {
    const { logger, raw, last } = capture();
    logger.info({ client }, `charged card ${VISA}`);
    expect(last()).toMatchObject({
      client: {
        email: '[redacted]',
        phone: '[redacted]',
        card: '[redacted]',
        note: 'paid with [redacted] from [redacted]',
        cardNumber: '[redacted]',
      },
      msg: 'charged card [redacted]',
    });
    for (const value of ['ann@example.com', '7946 0958', '4111', 'DE89']) {
      expect(raw[0]).not.toContain(value);
    }
  });

  it('personalData: false keeps them, and credentials stay redacted', () => {
    const { logger, last } = capture({ redact: { personalData: false } });
    logger.info({ client, password: 'hunter2' }, `charged card ${VISA}`);
    expect(last()).toMatchObject({
      // `cardNumber` is also a credential key (like `cvv`), so it is redacted either way.
      client: { ...client, cardNumber: '[redacted]' },
      password: '[redacted]',
      msg: `charged card ${VISA}`,
    });
  });
});

describe('createLogSerializer', () => {
  it('returns the same object when nothing is sensitive', () => {
    const serialize = createLogSerializer();
    const value = { a: 1, b: [{ c: 'd' }] };
    expect(serialize(value)).toBe(value);
  });

  it('marks cycles and cuts at the configured depth', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(createLogSerializer()(a)).toEqual({ self: CIRCULAR });
    expect(createLogSerializer({ maxDepth: 1 })({ a: { b: 1 } })).toEqual({ a: TRUNCATED });
  });

  it('copies only what it has to', () => {
    const serialize = createLogSerializer();
    const untouched = { x: 1 };
    const value = { untouched, config: { token: 't' } };
    const out = serialize(value) as typeof value;
    expect(out).not.toBe(value);
    expect(out.untouched).toBe(untouched);
    expect(out.config).toEqual({ token: '[redacted]' });
  });

  it('rejects options that are not an object, and takes null as no options', () => {
    for (const options of ['ssn', [{ keys: ['ssn'] }], () => ({})]) {
      expect(() => createLogSerializer(options as never)).toThrow(
        expect.objectContaining({
          name: 'OptionsError',
          message: 'createLogSerializer: options must be an object',
          issues: [{ path: 'options', message: 'must be an object', code: 'invalid_option' }],
        }),
      );
    }
    expect(createLogSerializer(null as never)({ token: 't' })).toEqual({ token: '[redacted]' });
  });

  it('rejects keys given as a string, which would be read one character at a time', () => {
    expect(() => createLogSerializer({ keys: 'ssn' } as never)).toThrow(
      expect.objectContaining({
        name: 'OptionsError',
        code: 'INVALID_OPTIONS',
        issues: [expect.objectContaining({ path: 'keys' })],
      }),
    );
  });
});
