import { createLogSerializer } from '@plinth/logging';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capture } from './helpers.js';

const AWS = 'AKIAIOSFODNN7EXAMPLE';
const GH = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';

describe('credentials inside logged strings', () => {
  it('scrubs URL credentials from the message', () => {
    const { logger, last } = capture();
    logger.info('connecting to postgres://app:pw1@db/app');
    expect(last().msg).toBe('connecting to postgres://[redacted]@db/app');
  });

  it('scrubs the message given after a fields object and printf arguments', () => {
    const { logger, raw, last } = capture();
    logger.info({ id: 1 }, 'login password=hunter2 for %s', `key ${AWS}`);
    expect(last().msg).toBe('login password=[redacted] for key [redacted]');
    expect(raw.join('')).not.toContain('hunter2');
  });

  it('scrubs strings at any depth and in arrays', () => {
    const { logger, raw, last } = capture();
    logger.info({ a: { b: { c: [`token ${GH} here`] } }, note: 'dsn postgres://u:pw9@h/db' });
    expect(last()).toMatchObject({
      a: { b: { c: ['token [redacted] here'] } },
      note: 'dsn postgres://[redacted]@h/db',
    });
    expect(raw.join('')).not.toContain(GH);
  });

  it('scrubs strings in base fields and child bindings', () => {
    const { logger, raw } = capture({ base: { upstream: 'https://u:basepw@x.io' } });
    logger.child({ note: `aws ${AWS}` }).info('hi');
    expect(raw.join('')).not.toContain('basepw');
    expect(raw.join('')).not.toContain(AWS);
  });

  it('leaves ordinary strings as the same values', () => {
    const serialize = createLogSerializer();
    const value = { route: '/v1/clients/:id', msg: 'request completed', at: '12:30' };
    expect(serialize(value)).toBe(value);
  });

  it('never lets a generated token in random text reach a line', () => {
    const token = fc.oneof(
      fc.stringMatching(/^AKIA[0-9A-Z]{16}$/),
      fc.stringMatching(/^sk_live_[0-9A-Za-z]{24}$/),
      fc.stringMatching(/^gh[pousr]_[0-9A-Za-z]{36}$/),
      fc.stringMatching(/^xoxb-[0-9]{12}-[0-9A-Za-z]{24}$/),
      fc.stringMatching(/^AIza[0-9A-Za-z_-]{35}$/),
    );
    const { logger, raw } = capture();
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), token, fc.string({ maxLength: 30 }), (a, t, b) => {
        logger.info({ note: `${a} ${t} ${b}` }, `${b} ${t}\n${a}`);
        expect(raw.at(-1)).not.toContain(t);
      }),
      { numRuns: 200 },
    );
  });
});

describe('binary and collection values', () => {
  it('logs Buffers and TypedArrays as a byte count, never the bytes', () => {
    const { logger, raw, last } = capture();
    logger.info({
      buf: Buffer.from('s3cret-bytes'),
      u8: new Uint8Array([1, 2, 3]),
      ab: new ArrayBuffer(4),
    });
    expect(last()).toMatchObject({
      buf: '[Buffer 12 bytes]',
      u8: '[Uint8Array 3 bytes]',
      ab: '[ArrayBuffer 4 bytes]',
    });
    expect(raw.join('')).not.toContain('"data"');
  });

  it('logs Map and Set contents the way sanitize does, redacting sensitive keys', () => {
    const { logger, last } = capture();
    logger.info({
      m: new Map<string, unknown>([
        ['user', 'ann'],
        ['password', 'pw'],
      ]),
      s: new Set(['a', 'https://u:pw@h']),
    });
    expect(last()).toMatchObject({
      m: { user: 'ann', password: '[redacted]' },
      s: ['a', 'https://[redacted]@h'],
    });
  });
});
