import { bool, bytes, duration, int, json, list, num, oneOf, port, url } from '@plinth/config';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

type Row = readonly [input: string, output: unknown];

function table(
  name: string,
  schema: z.ZodType,
  accepts: readonly Row[],
  rejects: readonly string[],
) {
  describe(name, () => {
    it.each(accepts)('accepts %j as %j', (input, output) => {
      expect(schema.parse(input)).toEqual(output);
    });
    it.each(rejects.map((r) => [r]))('rejects %j without echoing it', (input) => {
      const result = schema.safeParse(input);
      expect(result.success).toBe(false);
      // A message is either the fixed one every bad input gets, or free of the input.
      const fixed = schema.safeParse('\u0000not-valid\u0000').error?.issues[0]?.message;
      for (const issue of result.error?.issues ?? []) {
        expect(issue).not.toHaveProperty('input');
        if (issue.message !== fixed && input.trim().length > 1)
          expect(issue.message).not.toContain(input.trim());
      }
    });
  });
}

table(
  'bool()',
  bool(),
  [
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    ['on', true],
    [' On ', true],
    ['false', false],
    ['False', false],
    ['0', false],
    ['no', false],
    ['off', false],
  ],
  ['', 'y', 'n', '2', 'truthy', 'enabled', 'null', 'undefined', '-1', 'tru e'],
);

table(
  'int()',
  int(),
  [
    ['0', 0],
    ['42', 42],
    ['-7', -7],
    ['+3', 3],
    [' 12 ', 12],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
  ],
  ['', '1.0', '1.5', '1e3', '0x10', '1_000', 'abc', '9007199254740993', 'Infinity', 'NaN'],
);

table(
  'int({ min: 1, max: 10 })',
  int({ min: 1, max: 10 }),
  [
    ['1', 1],
    ['10', 10],
  ],
  ['0', '11', '-1'],
);

table(
  'num()',
  num(),
  [
    ['0', 0],
    ['0.25', 0.25],
    ['-3', -3],
    ['1e-3', 0.001],
    ['.5', 0.5],
    ['5.', 5],
  ],
  ['', 'abc', 'Infinity', '-Infinity', 'NaN', '0x1', '1,5', '1e400'],
);

table(
  'num({ min: 0, max: 1 })',
  num({ min: 0, max: 1 }),
  [
    ['0', 0],
    ['1', 1],
    ['0.5', 0.5],
  ],
  ['1.01', '-0.1'],
);

table(
  'port()',
  port(),
  [
    ['1', 1],
    ['80', 80],
    ['3000', 3000],
    ['65535', 65535],
  ],
  ['0', '65536', '-1', '80.5', 'http', '', '1e3'],
);

table('port({ allowZero: true })', port({ allowZero: true }), [['0', 0]], ['65536']);

table(
  'duration()',
  duration(),
  [
    ['250ms', 250],
    ['5s', 5000],
    ['1.5s', 1500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    ['0s', 0],
    ['5S', 5000],
  ],
  ['', '5', '250', '5 s', '5sec', '1w', '-5s', '0.5ms', 's', '1h30m', '5e3ms'],
);

table('duration({ max: 60_000 })', duration({ max: 60_000 }), [['1m', 60_000]], ['61s', '2m']);

table(
  'bytes()',
  bytes(),
  [
    ['512', 512],
    ['512b', 512],
    ['10kb', 10_240],
    ['10KB', 10_240],
    ['5mb', 5 * 1024 ** 2],
    ['1gb', 1024 ** 3],
    ['1.5gb', 1.5 * 1024 ** 3],
    ['1kib', 1024],
    ['1mib', 1024 ** 2],
    ['1tb', 1024 ** 4],
  ],
  ['', '10 kb', '10k', 'kb', '-1kb', '1.5b', '10pb', 'lots'],
);

table(
  'url()',
  url(),
  [
    ['https://example.com', 'https://example.com'],
    ['http://localhost:3000/path', 'http://localhost:3000/path'],
  ],
  [
    '',
    'example.com',
    'ftp://example.com',
    'javascript:alert(1)',
    'postgres://u@h/db',
    '//example.com',
  ],
);

table(
  "url({ protocols: ['postgres', 'postgresql:'] })",
  url({ protocols: ['postgres', 'postgresql:'] }),
  [
    ['postgres://user:pw@host:5432/db', 'postgres://user:pw@host:5432/db'],
    ['postgresql://h/db', 'postgresql://h/db'],
  ],
  ['https://h/db', 'mysql://h/db', 'not a url'],
);

table(
  'oneOf()',
  oneOf(['debug', 'info', 'warn']),
  [
    ['debug', 'debug'],
    [' info ', 'info'],
  ],
  ['', 'INFO', 'verbose', 'deb'],
);

table(
  'list()',
  list(),
  [
    ['a', ['a']],
    ['a,b,c', ['a', 'b', 'c']],
    [' a , b ', ['a', 'b']],
    ['', []],
  ],
  ['a,,b', 'a,', ',a'],
);

table('list(int())', list(int()), [['1,2,3', [1, 2, 3]]], ['1,x,3', '1.5']);
table(
  'list(url(), { separator: " " })',
  list(url(), { separator: ' ' }),
  [['https://a https://b', ['https://a', 'https://b']]],
  ['https://a ftp://b'],
);

table(
  'json()',
  json(),
  [
    ['{"a":1}', { a: 1 }],
    ['[1,2]', [1, 2]],
    ['"x"', 'x'],
    ['null', null],
    ['true', true],
  ],
  ['', '{a:1}', "{'a':1}", '{"a":1', 'undefined', 'NaN'],
);

table(
  'json(z.object(...))',
  json(z.object({ enabled: z.boolean() })),
  [['{"enabled":true}', { enabled: true }]],
  ['{"enabled":"yes"}', '{}', '[]'],
);

describe('primitive error messages', () => {
  it('rejects Boolean("false")-style truthiness: "false" parses to false', () => {
    expect(bool().parse('false')).toBe(false);
  });

  it('says what a duration looks like', () => {
    const result = duration().safeParse('5');
    expect(result.error?.issues[0]?.message).toBe(
      'must be a duration with a unit (e.g. 250ms, 5s, 2m, 1h)',
    );
  });

  it('reports each bad list item at its index', () => {
    const result = list(int()).safeParse('1,x,3,y');
    expect(result.error?.issues.map((i) => i.path)).toEqual([[1], [3]]);
  });

  it('never quotes the input of malformed JSON', () => {
    const result = json().safeParse('{"password": hunter2}');
    expect(result.error?.issues[0]?.message).toBe('must be valid JSON');
  });
});
