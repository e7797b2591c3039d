import { describe, expect, it } from 'vitest';
import { etagOf, parseIfMatch } from '../src/clients/etag.js';

describe('ETag and If-Match', () => {
  it('renders a version as a strong ETag', () => {
    expect(etagOf(3)).toBe('"3"');
  });

  it.each([
    ['"3"', { any: false, versions: [3] }],
    ['  "3"  ', { any: false, versions: [3] }],
    ['"3", "4"', { any: false, versions: [3, 4] }],
    ['*', { any: true }],
    ['W/"3"', { any: false, versions: [] }],
    ['W/"3", "5"', { any: false, versions: [5] }],
  ])('reads %s', (header, expected) => {
    expect(parseIfMatch(header)).toEqual(expected);
  });

  it('asks for If-Match when it is missing (428)', () => {
    expect(() => parseIfMatch(undefined)).toThrow(
      expect.objectContaining({ status: 428, code: 'PRECONDITION_REQUIRED' }),
    );
  });

  it.each(['3', '""', '"0"', '"03"', '"abc"', '"1234567890"', '', ',', '"3",', '"3" "4"'])(
    'refuses the malformed If-Match %j (400)',
    (header) => {
      expect(() => parseIfMatch(header)).toThrow(
        expect.objectContaining({ status: 400, code: 'INVALID_IF_MATCH' }),
      );
    },
  );
});
