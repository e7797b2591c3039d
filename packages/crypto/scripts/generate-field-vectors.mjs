// Generates test/vectors/field-v1.json ONCE, from the DESIGN §5 format using
// bare node:crypto (an independent implementation of the spec, not the
// package). Re-running produces new nonces; only regenerate on purpose.
//   node scripts/generate-field-vectors.mjs > test/vectors/field-v1.json
import { createCipheriv, randomBytes } from 'node:crypto';

const keys = {
  k1: Buffer.alloc(32, 0x11),
  'key-2_B': Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex'),
};

function canonical(context) {
  const keysSorted = Object.keys(context).sort();
  return `{${keysSorted.map((k) => `${JSON.stringify(k)}:${JSON.stringify(context[k])}`).join(',')}}`;
}

function encrypt(keyId, plaintext, context) {
  const nonce = randomBytes(12);
  const aad = Buffer.from(`pl1.${keyId}.${canonical(context)}`, 'utf8');
  const cipher = createCipheriv('aes-256-gcm', keys[keyId], nonce);
  cipher.setAAD(aad);
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return {
    aad: aad.toString('utf8'),
    ciphertext: `pl1.${keyId}.${nonce.toString('base64url')}.${ct.toString('base64url')}`,
  };
}

const cases = [
  ['empty string, empty context', 'k1', '', {}],
  [
    'ASCII email, full row context',
    'k1',
    'ada@example.com',
    { table: 'clients', column: 'email', row: '0b9c1e8a', tenant: 't1' },
  ],
  ['multi-byte UTF-8', 'k1', 'Zoë 東京 🧑‍💻', { column: 'name', row: '42' }],
  [
    'context needing JSON escapes',
    'key-2_B',
    'x',
    { 'quote"key': 'line\nbreak', é: 'ü', A: '\u0001' },
  ],
  ['second key id', 'key-2_B', 'rotated value', { tenant: 't2' }],
  ['binary plaintext', 'key-2_B', Buffer.from([0, 255, 128, 10]), { column: 'blob' }],
  // Added in review (appended with fresh nonces; the six above were kept):
  // orderings and escapes where naive canonical-JSON implementations differ.
  ['integer-like keys sort as strings', 'k1', 'n', { 10: 'a', 9: 'b', b: 'c', A: 'd', '': '' }],
  ['astral key sorts before U+FFFF (UTF-16 order)', 'k1', 's', { '\uffff': 'y', '😀': 'x' }],
  [
    'U+2028, slash, DEL and lone surrogates stay as JSON.stringify writes them',
    'k1',
    'e',
    { sep: '\u2028\u2029/\u007f<>&', lone: '\ud800x\udc00', __proto__key: 'p' },
  ],
];

const vectors = cases.map(([description, keyId, plaintext, context]) => {
  const buf = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  return {
    description,
    keyId,
    context,
    plaintextHex: buf.toString('hex'),
    ...(typeof plaintext === 'string' ? { plaintext } : {}),
    ...encrypt(keyId, buf, context),
  };
});

process.stdout.write(
  `${JSON.stringify(
    {
      format: 'pl1',
      note: 'AES-256-GCM; AAD = UTF-8 of "pl1.<keyId>." + canonical JSON context. See docs/crypto-format.md.',
      keys: Object.fromEntries(Object.entries(keys).map(([id, k]) => [id, k.toString('base64')])),
      vectors,
    },
    null,
    2,
  )}\n`,
);
