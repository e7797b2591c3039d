import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, MAX_CURSOR_LENGTH } from '../src/clients/cursor.js';

const id = '5c4e8f0a-1b2c-4d3e-8f4a-0123456789ab';

describe('list cursors', () => {
  it('round-trips the position of the last client of a page', () => {
    const cursor = { createdAt: new Date('2026-11-29T22:41:38.665Z'), id };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it('round-trips any millisecond timestamp and uuid', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date(0),
          max: new Date('9999-12-31T23:59:59.999Z'),
          noInvalidDate: true,
        }),
        fc.uuid(),
        (createdAt, uuid) => {
          const text = encodeCursor({ createdAt, id: uuid });
          expect(text.length).toBeLessThanOrEqual(MAX_CURSOR_LENGTH);
          expect(decodeCursor(text)).toEqual({ createdAt, id: uuid });
        },
      ),
    );
  });

  it.each([
    ['an empty string', ''],
    ['another prefix', `c2.${Buffer.from(`0:${id}`).toString('base64url')}`],
    ['no payload', 'c1.'],
    ['characters outside base64url', 'c1.AAAA+/=='],
    ['no separator', `c1.${Buffer.from(`0${id}`).toString('base64url')}`],
    ['a negative time', `c1.${Buffer.from(`-1:${id}`).toString('base64url')}`],
    ['a time of 16 digits', `c1.${Buffer.from(`9999999999999999:${id}`).toString('base64url')}`],
    ['an id that is not a uuid', `c1.${Buffer.from("0:1' OR '1'='1").toString('base64url')}`],
    ['an upper-case uuid', `c1.${Buffer.from(`0:${id.toUpperCase()}`).toString('base64url')}`],
    ['an overlong cursor', `c1.${'A'.repeat(MAX_CURSOR_LENGTH)}`],
  ])('refuses %s with 400 INVALID_CURSOR', (_label, text) => {
    expect(() => decodeCursor(text)).toThrow(
      expect.objectContaining({ status: 400, code: 'INVALID_CURSOR' }),
    );
  });

  it('refuses any string it did not issue, never crashing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          const { createdAt } = decodeCursor(text);
          expect(Number.isNaN(createdAt.getTime())).toBe(false);
        } catch (err) {
          expect(err).toMatchObject({ code: 'INVALID_CURSOR' });
        }
      }),
    );
  });
});
