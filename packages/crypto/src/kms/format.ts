import { createCipheriv, createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { CRYPTO_ERROR_CODES, cryptoError, invalidArgument } from '../errors.js';

// Blob format v1; byte layout documented in docs/crypto-format.md.
export const MAGIC = Buffer.from('PLE', 'latin1');
export const VERSION = 0x01;
export const SUITE = 0x01; // AES-256-GCM, HKDF-SHA256 per-message key, 12-byte IV, 16-byte tag, framed
export const MESSAGE_ID_BYTES = 32;
export const TAG_BYTES = 16;
export const FRAME_HEADER_BYTES = 9; // seq u32 | flags u8 | length u32
export const MAX_HEADER_BYTES = 65_536;
export const MIN_FRAME = 16;
export const MAX_FRAME = 16 * 1024 * 1024;
export const MAX_FRAMES = 0xffff_ffff;
export const FLAG_REGULAR = 0x00;
export const FLAG_FINAL = 0x01;
const HKDF_INFO = Buffer.concat([
  Buffer.from('plinth.envelope.v1', 'latin1'),
  Buffer.from([SUITE]),
]);
const ZERO_IV = Buffer.alloc(12);

export interface Header {
  frameLength: number;
  messageId: Buffer;
  providerId: string;
  keyId: string;
  encryptedKey: Buffer;
  context: Record<string, string>;
  /** Everything before the tag, as written. */
  body: Buffer;
  tag: Buffer;
  /** Total header length including the tag. */
  length: number;
}

export function malformed(reason: string): never {
  throw cryptoError(
    CRYPTO_ERROR_CODES.CIPHERTEXT_MALFORMED,
    `Encrypted blob is malformed (${reason})`,
    { reason },
  );
}

export function integrity(reason: string): never {
  throw cryptoError(
    CRYPTO_ERROR_CODES.DECRYPT_FAILED,
    `Encrypted blob failed authentication (${reason})`,
    { reason },
  );
}

/** Per-message content key: HKDF-SHA256(dataKey, salt = message id). */
export function deriveContentKey(dataKey: Uint8Array, messageId: Buffer): KeyObject {
  const derived = Buffer.from(hkdfSync('sha256', dataKey, messageId, HKDF_INFO, 32));
  const key = createSecretKey(derived);
  derived.fill(0);
  return key;
}

/** GCM tag over the header body (empty plaintext), IV 0: authenticates every header field. */
export function headerTag(key: KeyObject, body: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-gcm', key, ZERO_IV);
  cipher.setAAD(body);
  cipher.final();
  return cipher.getAuthTag();
}

/** u16 and u32, big-endian. */
const u16 = (n: number) => Buffer.from([n >>> 8, n & 0xff]);
const u32 = (n: number) => Buffer.from([n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);

/** u16 byte count (clamped: the header-size check rejects anything that long) + UTF-8. */
const u16String = (s: string) => {
  const bytes = Buffer.from(s, 'utf8');
  return Buffer.concat([u16(Math.min(bytes.length, 0xffff)), bytes]);
};

/** Header bytes before the tag. Callers guarantee provider id 1..255 bytes, a non-empty key id and wrapped key. */
export function encodeHeaderBody(h: Omit<Header, 'body' | 'tag' | 'length'>): Buffer {
  const provider = Buffer.from(h.providerId, 'utf8');
  // Keys in UTF-16 code-unit order (what sort() does), as the reader checks.
  const pairs = Object.keys(h.context).sort();
  const body = Buffer.concat([
    MAGIC,
    Buffer.from([VERSION, SUITE]),
    u32(h.frameLength),
    h.messageId,
    Buffer.from([provider.length]),
    provider,
    u16String(h.keyId),
    u16(h.encryptedKey.length),
    h.encryptedKey,
    u16(pairs.length),
    ...pairs.flatMap((k) => [u16String(k), u16String(h.context[k]!)]),
  ]);
  if (body.length + TAG_BYTES > MAX_HEADER_BYTES) {
    throw invalidArgument(
      'Envelope header would exceed 64 KiB: the encryption context is too large',
    );
  }
  return body;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Strict UTF-8: invalid sequences would otherwise decode to U+FFFD, two byte strings to one text. */
function utf8(bytes: Uint8Array, what: string): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    malformed(`${what} is not valid UTF-8`);
  }
}

/** Parses a header from the start of `buf`; undefined when more bytes are needed. */
export function decodeHeader(buf: Buffer): Header | undefined {
  let pos = 0;
  const need = (n: number) => {
    if (pos + n > MAX_HEADER_BYTES) malformed('header larger than 64 KiB');
    return pos + n <= buf.length;
  };
  if (buf.length >= 3 && !buf.subarray(0, 3).equals(MAGIC)) malformed('not a Plinth envelope');
  if (!need(9)) return undefined;
  if (buf[3] !== VERSION) malformed('unsupported version');
  if (buf[4] !== SUITE) malformed('unsupported algorithm');
  const frameLength = buf.readUInt32BE(5);
  if (frameLength < MIN_FRAME || frameLength > MAX_FRAME) malformed('frame length out of range');
  pos = 9;
  if (!need(MESSAGE_ID_BYTES + 1)) return undefined;
  const messageId = buf.subarray(pos, pos + MESSAGE_ID_BYTES);
  pos += MESSAGE_ID_BYTES;
  const providerLen = buf[pos]!;
  pos += 1;
  if (providerLen === 0) malformed('empty provider id');
  if (!need(providerLen)) return undefined;
  const providerId = utf8(buf.subarray(pos, pos + providerLen), 'provider id');
  pos += providerLen;
  const readVar = (): Buffer | undefined => {
    if (!need(2)) return undefined;
    const len = buf.readUInt16BE(pos);
    pos += 2;
    if (!need(len)) return undefined;
    const out = buf.subarray(pos, pos + len);
    pos += len;
    return out;
  };
  const keyId = readVar();
  if (keyId === undefined) return undefined;
  if (keyId.length === 0) malformed('empty wrapping key id');
  const encryptedKey = readVar();
  if (encryptedKey === undefined) return undefined;
  if (encryptedKey.length === 0) malformed('empty encrypted data key');
  if (!need(2)) return undefined;
  const count = buf.readUInt16BE(pos);
  pos += 2;
  const context: Record<string, string> = Object.create(null);
  let previous: string | undefined;
  for (let i = 0; i < count; i++) {
    const k = readVar();
    if (k === undefined) return undefined;
    const v = readVar();
    if (v === undefined) return undefined;
    const key = utf8(k, 'context key');
    if (previous !== undefined && !(previous < key))
      malformed('context keys not sorted or duplicated');
    previous = key;
    context[key] = utf8(v, 'context value');
  }
  if (!need(TAG_BYTES)) return undefined;
  return {
    frameLength,
    messageId: Buffer.from(messageId),
    providerId,
    keyId: utf8(keyId, 'wrapping key id'),
    encryptedKey: Buffer.from(encryptedKey),
    context: { ...context },
    body: Buffer.from(buf.subarray(0, pos)),
    tag: Buffer.from(buf.subarray(pos, pos + TAG_BYTES)),
    length: pos + TAG_BYTES,
  };
}

/** IV of frame `seq`: 8 zero bytes || seq (u32). The header uses IV 0. */
export const frameIv = (seq: number) => Buffer.concat([Buffer.alloc(8), u32(seq)]);

/** Frame header: seq (u32) || flags (u8) || length (u32). */
export const frameHeader = (seq: number, flags: number, length: number) =>
  Buffer.concat([u32(seq), Buffer.from([flags]), u32(length)]);

/** AAD of one frame: header tag || frame header. */
export const frameAad = (tag: Buffer, seq: number, flags: number, length: number) =>
  Buffer.concat([tag, frameHeader(seq, flags, length)]);
