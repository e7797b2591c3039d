import { REDACTED, sanitize } from '@plinth/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const AWS = 'AKIAIOSFODNN7EXAMPLE';
const PEM =
  '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA75\nq2w+Zx==\n-----END RSA PRIVATE KEY-----';

describe('sanitize: credentials inside free text', () => {
  it.each([
    ['an AWS access key id', `key ${AWS} used`, `key ${REDACTED} used`],
    ['an AWS session key id', 'ASIAY34FZKBOKMUTVV7A, then', `${REDACTED}, then`],
    [
      'a Stripe live secret key',
      'stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc ok',
      `stripe ${REDACTED} ok`,
    ],
    ['a Stripe restricted key', '(rk_live_51H8abcdEFGHijkl)', `(${REDACTED})`],
    ['a Stripe test key', 'sk_test_4eC39HqLyjWDarjtT1zdp7dc', REDACTED],
    ['a GitHub token', 'gh ghp_16C7e42F292c6912E7710c838347Ae178B4a!', `gh ${REDACTED}!`],
    ['a GitHub app token', 'ghs_16C7e42F292c6912E7710c838347Ae178B4a', REDACTED],
    [
      'a GitHub fine-grained PAT',
      'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz',
      REDACTED,
    ],
    ['a Slack token', 'slack xoxb-123456789012-1234567890123-AbCdEfGhIjKl.', `slack ${REDACTED}.`],
    ['a Google API key', 'k=AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe;', `k=${REDACTED};`],
    ['a JWT', 'got eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln here', `got ${REDACTED} here`],
    ['a private-key PEM block', `pem ${PEM} after`, `pem ${REDACTED} after`],
    ['an unterminated PEM block', 'k -----BEGIN PRIVATE KEY-----\nMIIEvQ', `k ${REDACTED}`],
    [
      'an embedded Bearer credential',
      'sent Bearer abcDEF123456xyz then',
      `sent Bearer ${REDACTED} then`,
    ],
  ])('replaces %s and keeps the surrounding text', (_, input, expected) => {
    expect(sanitize(input)).toBe(expected);
  });

  it.each([
    ['password=hunter2 user=bob', `password=${REDACTED} user=bob`],
    ['api_key=abc123&x=1', `api_key=${REDACTED}&x=1`],
    ['{"token": "abc", "user": "x"}', `{"token": "${REDACTED}", "user": "x"}`],
    ["{'client_secret':'a\\'b'}", `{'client_secret':'${REDACTED}'}`],
    ['password: hunter2', `password: ${REDACTED}`],
    ['x-api-key: 9f8e7d', `x-api-key: ${REDACTED}`],
    ['Authorization: Bearer abcdef123456 next', `Authorization: Bearer ${REDACTED} next`],
    ['Cookie: session=s3ss; theme=dark', `Cookie: ${REDACTED}; theme=dark`],
  ])('redacts the value of a sensitive key=value pair in %j', (input, expected) => {
    expect(sanitize(input)).toBe(expected);
  });

  it.each([
    'password: must be at least 8 characters',
    'Error: token expired',
    'route /v1/clients/:id took time=3',
    'user=bob status=ok',
    'passwordless login enabled',
    'AKIA is a prefix; AKIAIOSFODNN7EXAMPLEX is too long',
    'task-sk_live_ is not a key',
    'the -----BEGIN CERTIFICATE----- block is public',
  ])('leaves %j unchanged', (input) => {
    expect(sanitize(input)).toBe(input);
  });

  it('leaves strings alone with scanStrings: false', () => {
    expect(sanitize(`password=hunter2 ${AWS}`, { scanStrings: false })).toBe(
      `password=hunter2 ${AWS}`,
    );
  });

  it('uses the configured key matcher for pairs', () => {
    expect(sanitize('dateOfBirth=1990-01-01', { keys: ['dateOfBirth'] })).toBe(
      `dateOfBirth=${REDACTED}`,
    );
  });

  it.each([
    ['dotted words', 'a.'],
    ['JWT-like segments', 'eyJa.'],
    ['token prefixes', 'ghp_AKIAxoxb-AIzask_live_'],
    ['PEM headers without an end', '-----BEGIN PRIVATE KEY-----'],
    ['PEM end markers', '-----END X'],
    ['key: pairs', 'a: '],
    ['open quotes', '"a":"'],
    ['escaped quotes', 'k:"\\"'],
    ['auth schemes', 'Bearer '],
    ['URL userinfo', 'a://b@'],
    ['sensitive pairs', 'password=x '],
  ])('scans a 1 MB string of repeated %s to completion', (_, unit) => {
    const big = `${unit.repeat(Math.ceil(2 ** 20 / unit.length))} ${AWS}`;
    const out = sanitize(big) as string;
    expect(out).not.toContain(AWS);
  });
});

/** Text around a token: anything, but separated from it by a delimiter. */
const text = fc.string({ maxLength: 40 });
const delimiter = fc.constantFrom(' ', '\n', ',', '(', ')', '"', "'", ';', '\t', '|');
const alnum = (
  min: number,
  max: number,
  chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
) => fc.array(fc.constantFrom(...chars), { minLength: min, maxLength: max }).map((a) => a.join(''));
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

const tokens = {
  aws: fc.tuple(fc.constantFrom('AKIA', 'ASIA'), alnum(16, 16, UPPER)).map(([p, b]) => p + b),
  stripe: fc
    .tuple(fc.constantFrom('sk_live_', 'rk_live_', 'sk_test_', 'rk_test_'), alnum(10, 99))
    .map(([p, b]) => p + b),
  github: fc.oneof(
    fc
      .tuple(fc.constantFrom('ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'), alnum(36, 36))
      .map(([p, b]) => p + b),
    fc.tuple(alnum(22, 22), alnum(59, 59)).map(([a, b]) => `github_pat_${a}_${b}`),
  ),
  slack: fc
    .tuple(fc.constantFrom('a', 'b', 'p', 'r', 's'), alnum(10, 12), alnum(10, 32))
    .map(([t, a, b]) => `xox${t}-${a}-${b}`),
  google: alnum(35, 35, `${UPPER}abcdefghijklmnopqrstuvwxyz_-`).map((b) => `AIza${b}`),
  pem: fc
    .tuple(fc.constantFrom('', 'RSA ', 'EC ', 'OPENSSH ', 'ENCRYPTED '), alnum(1, 200))
    .map(([l, b]) => `-----BEGIN ${l}PRIVATE KEY-----\n${b}\n-----END ${l}PRIVATE KEY-----`),
  pair: fc
    .tuple(
      fc.constantFrom('password', 'token', 'api_key', 'client_secret', 'x-api-key', 'accessToken'),
      fc.constantFrom('=', ': ', ' = '),
      alnum(8, 30),
    )
    .map(([k, s, v]) => [`${k}${s}`, `Q${v}7`] as const),
};

describe('sanitize: generated credentials in random text (property)', () => {
  for (const [shape, arb] of Object.entries(tokens)) {
    it(`never lets a ${shape} credential survive`, () => {
      fc.assert(
        fc.property(text, delimiter, arb, delimiter, text, (before, d1, token, d2, after) => {
          const [head, secret] = Array.isArray(token) ? token : ['', token as string];
          const input = `${before}${d1}${head}${secret}${d2}${after}`;
          const out = sanitize({ note: input }) as { note: string };
          expect(out.note).not.toContain(secret);
        }),
        { numRuns: 200 },
      );
    });
  }
});
