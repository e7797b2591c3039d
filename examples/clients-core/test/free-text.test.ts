import { describe, expect, it } from 'vitest';
import { freeText } from '../src/free-text.js';

const name = freeText(200);
const refused = (value: string) => !name.safeParse(value).success;

describe('freeText', () => {
  it('accepts names in any script, trimmed', () => {
    for (const value of ['Zoë Ångström-O’Brien', 'محمد بن سلمان', 'שרה לוי', '李小龍', 'Ada 👩‍💻'])
      expect(name.parse(` ${value} `)).toBe(value);
  });

  it.each([
    ['NUL', '\u0000'],
    ['a line feed', '\n'],
    ['DEL', '\u007F'],
    ['the C1 control NEL', '\u0085'],
    ['the C1 control CSI', '\u009B'],
    ['the first C1 control', '\u0080'],
    ['the last C1 control', '\u009F'],
  ])('refuses %s', (_name, char) => {
    expect(refused(`Ada${char}Lovelace`)).toBe(true);
  });

  it.each([
    ['LRE', '\u202A'],
    ['RLE', '\u202B'],
    ['PDF', '\u202C'],
    ['LRO', '\u202D'],
    ['RLO', '\u202E'],
    ['LRI', '\u2066'],
    ['RLI', '\u2067'],
    ['FSI', '\u2068'],
    ['PDI', '\u2069'],
  ])('refuses the bidirectional formatting character %s', (_name, char) => {
    expect(refused(`Ada${char}Lovelace`)).toBe(true);
  });

  it('refuses a lone surrogate, an empty value and one over the limit', () => {
    expect(refused('a\uD800b')).toBe(true);
    expect(refused('   ')).toBe(true);
    expect(refused('x'.repeat(201))).toBe(true);
  });
});
