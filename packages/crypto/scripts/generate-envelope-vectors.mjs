// Generates test/vectors/envelope-v1.json ONCE, from docs/crypto-format.md §3
// using bare node:crypto (an independent implementation of the spec, not the
// package). Data keys, message ids and nonces are random: re-running produces
// different blobs; only regenerate on purpose.
//   node scripts/generate-envelope-vectors.mjs > test/vectors/envelope-v1.json
import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';

const wrappingKeys = [
  { id: 'm2', status: 'primary', key: Buffer.alloc(32, 0x21) },
  {
    id: 'm1',
    status: 'active',
    key: Buffer.from('00112233445566778899aabbccddeeff'.repeat(2), 'hex'),
  },
  { id: 'm0', status: 'retired', key: Buffer.alloc(32, 0x7f) },
];
const keyById = Object.fromEntries(wrappingKeys.map((k) => [k.id, k.key]));

const u16 = (n) => Buffer.from([n >>> 8, n & 0xff]);
const u32 = (n) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
/** u16 length (of the bytes) followed by the bytes; strings are UTF-8. */
const var16 = (v) => {
  const b = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
  return Buffer.concat([u16(b.length), b]);
};

/** Canonical JSON: keys sorted by UTF-16 code units, JSON.stringify escapes, no whitespace. */
function canonical(context) {
  const keys = Object.keys(context).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(context[k])}`).join(',')}}`;
}

function gcm(key, iv, aad, plaintext) {
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(aad);
  const body = Buffer.concat([c.update(plaintext), c.final()]);
  return { body, tag: c.getAuthTag() };
}

/** Local provider: nonce(12) || AES-256-GCM(wrapping key, data key) (32) || tag (16). */
function wrap(keyId, dataKey, context) {
  const nonce = randomBytes(12);
  const aad = `plinth.local-kms.v1.${keyId}.${canonical(context)}`;
  const { body, tag } = gcm(keyById[keyId], nonce, Buffer.from(aad, 'utf8'), dataKey);
  return { aad, wrapped: Buffer.concat([nonce, body, tag]) };
}

/** Splits plaintext: full frames while more than F bytes remain, then one final frame. */
function split(plaintext, F) {
  const frames = [];
  let at = 0;
  while (plaintext.length - at > F) {
    frames.push({ flags: 0x00, data: plaintext.subarray(at, at + F) });
    at += F;
  }
  frames.push({ flags: 0x01, data: plaintext.subarray(at) });
  return frames;
}

/**
 * One blob. `tweak` may change the parts before they are written (for the
 * invalid vectors, which are still correctly authenticated where possible).
 */
function build({ F, context, plaintext, keyId = 'm2', tweak = (p) => p }) {
  const dataKey = randomBytes(32);
  const messageId = randomBytes(32);
  const { aad, wrapped } = wrap(keyId, dataKey, context);
  const pairs = Object.keys(context)
    .sort()
    .map((k) => [Buffer.from(k, 'utf8'), Buffer.from(context[k], 'utf8')]);
  const parts = tweak({
    F,
    providerId: Buffer.from('local', 'utf8'),
    keyId: Buffer.from(keyId, 'utf8'),
    wrapped,
    pairs,
    frames: split(plaintext, F),
  });
  const body = Buffer.concat([
    Buffer.from('PLE', 'latin1'),
    Buffer.from([0x01, 0x01]),
    u32(parts.F),
    messageId,
    Buffer.from([parts.providerId.length]),
    parts.providerId,
    var16(parts.keyId),
    var16(parts.wrapped),
    u16(parts.pairs.length),
    ...parts.pairs.flatMap(([k, v]) => [var16(k), var16(v)]),
  ]);
  const info = Buffer.concat([Buffer.from('plinth.envelope.v1', 'latin1'), Buffer.from([0x01])]);
  const K = Buffer.from(hkdfSync('sha256', dataKey, messageId, info, 32));
  const headerTag = gcm(K, Buffer.alloc(12), body, Buffer.alloc(0)).tag;
  const frames = parts.frames.map(({ flags, data }, i) => {
    const seq = i + 1;
    const head = Buffer.concat([u32(seq), Buffer.from([flags]), u32(data.length)]);
    const iv = Buffer.concat([Buffer.alloc(8), u32(seq)]);
    const { body: ct, tag } = gcm(K, iv, Buffer.concat([headerTag, head]), data);
    return Buffer.concat([head, ct, tag]);
  });
  return {
    wrappingKeyId: keyId,
    dataKeyHex: dataKey.toString('hex'),
    wrappedKeyHex: wrapped.toString('hex'),
    wrapAad: aad,
    messageIdHex: messageId.toString('hex'),
    contentKeyHex: K.toString('hex'),
    headerLength: body.length + 16,
    frameCount: frames.length,
    blobHex: Buffer.concat([body, headerTag, ...frames]).toString('hex'),
  };
}

const bytes = (n, seed) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff));
const text = (s) => Buffer.from(s, 'utf8');
const row = { tenant: 't1', object: 'documents/42' };
const unicode = {
  région: 'Île-de-France',
  名前: '東京',
  '😀': 'emoji key',
  '\uffff': 'last BMP',
  é: 'ü',
};
const escapes = { 'quote"key': 'line\nbreak', A: '\u0001', 10: 'a', 9: 'b', '': '' };

const valid = [
  ['empty plaintext, empty context (header + empty final frame)', 65536, {}, ''],
  ['short text, default frame length', 65536, row, 'hello, envelope'],
  ['multi-frame: two full frames and a short final frame', 16, row, bytes(40, 7)],
  ['exact multiple of the frame size: ends with a full final frame', 16, row, bytes(48, 3)],
  ['exactly one frame of plaintext: a single full final frame', 16, {}, bytes(16, 9)],
  ['unicode context and plaintext', 32, unicode, 'Zoë 東京 🧑‍💻 — naïve café'],
  ['context needing JSON escapes and integer-like keys', 32, escapes, 'x'],
  ['wrapped under an active (older) wrapping key', 64, row, 'rotated', 'm1'],
].map(([description, F, context, input, keyId]) => {
  const plaintext = typeof input === 'string' ? text(input) : input;
  return {
    description,
    frameLength: F,
    context,
    plaintextHex: plaintext.toString('hex'),
    ...(typeof input === 'string' ? { plaintext: input } : {}),
    ...build({ F, context, plaintext, keyId }),
  };
});

const invalid = [
  [
    'a full regular frame followed by an empty final frame (the non-canonical encoding)',
    'CIPHERTEXT_MALFORMED',
    { F: 16, context: row, plaintext: bytes(16, 1) },
    (p) => ({
      ...p,
      frames: [
        { flags: 0x00, data: bytes(16, 1) },
        { flags: 0x01, data: text('') },
      ],
    }),
  ],
  [
    'an unknown frame flag (0x02)',
    'CIPHERTEXT_MALFORMED',
    { F: 16, context: row, plaintext: text('abc') },
    (p) => ({ ...p, frames: [{ flags: 0x02, data: text('abc') }] }),
  ],
  [
    'no final frame (truncated after a full frame)',
    'DECRYPT_FAILED',
    { F: 16, context: row, plaintext: bytes(20, 2) },
    (p) => ({ ...p, frames: p.frames.slice(0, 1) }),
  ],
  [
    'a frame after the final frame',
    'DECRYPT_FAILED',
    { F: 16, context: row, plaintext: text('abc') },
    (p) => ({ ...p, frames: [...p.frames, { flags: 0x01, data: text('more') }] }),
  ],
  [
    'an empty wrapping key id',
    'CIPHERTEXT_MALFORMED',
    { F: 16, context: row, plaintext: text('abc') },
    (p) => ({ ...p, keyId: Buffer.alloc(0) }),
  ],
  [
    'a context value that is not valid UTF-8',
    'CIPHERTEXT_MALFORMED',
    { F: 16, context: row, plaintext: text('abc') },
    (p) => ({ ...p, pairs: [[text('object'), Buffer.from([0x66, 0xff])], p.pairs[1]] }),
  ],
  [
    'context keys out of order',
    'CIPHERTEXT_MALFORMED',
    { F: 16, context: row, plaintext: text('abc') },
    (p) => ({ ...p, pairs: [...p.pairs].reverse() }),
  ],
  [
    'a frame length below 16 in the header',
    'CIPHERTEXT_MALFORMED',
    { F: 16, context: {}, plaintext: text('abc') },
    (p) => ({ ...p, F: 15 }),
  ],
  [
    'a wrapped key of 59 bytes',
    'DECRYPT_FAILED',
    { F: 16, context: row, plaintext: text('abc') },
    (p) => ({ ...p, wrapped: p.wrapped.subarray(0, 59) }),
  ],
  [
    'another provider id (aws-kms)',
    'UNKNOWN_KEY',
    { F: 16, context: row, plaintext: text('abc') },
    (p) => ({ ...p, providerId: text('aws-kms') }),
  ],
  [
    'a data key wrapped under a retired wrapping key',
    'KEY_RETIRED',
    { F: 16, context: row, plaintext: text('abc'), keyId: 'm0' },
    (p) => p,
  ],
  [
    'a wrapping key id the keyring does not know',
    'UNKNOWN_KEY',
    { F: 16, context: row, plaintext: text('abc') },
    (p) => ({ ...p, keyId: text('m9') }),
  ],
].map(([description, error, input, tweak]) => ({
  description,
  error,
  blobHex: build({ ...input, tweak }).blobHex,
}));

// Valid blobs decrypted with a caller context that does not hold: every given pair must be present and equal.
const contextMismatch = [
  ['a caller context value that differs', { tenant: 't2' }],
  ['a caller context pair the blob lacks', { tenant: 't1', purpose: 'export' }],
  ['a caller context key in another case', { Tenant: 't1' }],
].map(([description, decryptContext]) => ({
  description,
  error: 'DECRYPT_FAILED',
  decryptContext,
  blobHex: valid[1].blobHex,
}));

process.stdout.write(
  `${JSON.stringify(
    {
      format: 'PLE v1 envelope blob (docs/crypto-format.md §3), local key provider',
      note: 'The stream format is the same byte format: decryptStream must accept every valid blob in any chunking and reject every invalid one. Hex is lowercase; keys are base64.',
      providerId: 'local',
      wrappingKeys: wrappingKeys.map(({ id, status, key }) => ({
        id,
        status,
        key: key.toString('base64'),
      })),
      vectors: valid,
      invalid: [...invalid, ...contextMismatch],
    },
    null,
    2,
  )}\n`,
);
