import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../src/dotenv.js';

describe('parseDotenv', () => {
  it('parses the accepted syntax', () => {
    const text = [
      '\uFEFF# comment',
      '',
      'PLAIN=value',
      'SPACED = spaced value  # inline comment',
      'export EXPORTED=yes',
      "SINGLE='literal \\n $HOME # not a comment'",
      'DOUBLE="line1\\nline2 \\"q\\" \\$x"',
      'EMPTY=',
      'HASH=a#b',
      'MULTI="-----BEGIN KEY-----',
      'abc',
      '-----END KEY-----"',
      'AFTER=1',
    ].join('\r\n');
    const { values, problems } = parseDotenv(text);
    expect(problems).toEqual([]);
    expect(Object.fromEntries(values)).toEqual({
      PLAIN: 'value',
      SPACED: 'spaced value',
      EXPORTED: 'yes',
      SINGLE: 'literal \\n $HOME # not a comment',
      DOUBLE: 'line1\nline2 "q" $x',
      EMPTY: '',
      HASH: 'a#b',
      MULTI: '-----BEGIN KEY-----\nabc\n-----END KEY-----',
      AFTER: '1',
    });
  });

  it.each([
    ['no equals sign', 'JUST_A_WORD', 'malformed line (expected KEY=value)'],
    ['a bad key', '1KEY=x', 'malformed line (expected KEY=value)'],
    ['a dashed key', 'MY-KEY=x', 'malformed line (expected KEY=value)'],
    ['a stray quote', 'KEY=ab"c', 'unexpected quote in unquoted value'],
    ['text after the closing quote', 'KEY="a"b', 'unexpected text after closing quote'],
    ['an unknown escape', 'KEY="\\q"', 'invalid escape sequence'],
    ['an unterminated quote', "KEY='abc", 'unterminated quoted value'],
  ])('reports %s with its line number', (_name, line, reason) => {
    const { problems, values } = parseDotenv(`OK=1\n${line}\nLATER=2\n`);
    expect(problems).toEqual([{ line: 2, reason }]);
    expect(values.get('OK')).toBe('1');
  });

  it('reports a duplicate key', () => {
    expect(parseDotenv('A=1\nA=2\n').problems).toEqual([
      { line: 2, reason: 'duplicate key A (first set on line 1)' },
    ]);
  });
});
