import { isUint8Array } from 'node:util/types';
import { invalidArgument } from './errors.js';

const B64URL_CHARS = /^[A-Za-z0-9_-]*$/;
const B64_STD =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}|[A-Za-z0-9+/]{3})?$/;
const B64_URL = /^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2}(?:==)?|[A-Za-z0-9_-]{3}=?)?$/;

// Value of a base64/base64url character, for the canonical-padding check.
function charValue(code: number): number {
  if (code >= 65 && code <= 90) return code - 65;
  if (code >= 97 && code <= 122) return code - 71;
  if (code >= 48 && code <= 57) return code + 4;
  return code === 43 || code === 45 ? 62 : 63;
}

/**
 * True when `s` is canonical unpadded base64url: only the alphabet, a length
 * that is not 1 mod 4, and zero unused bits in the last character. Node's
 * decoder silently ignores stray characters and unused bits, so without this
 * two different strings could decode to the same bytes.
 */
export function isCanonicalBase64Url(s: string): boolean {
  const rem = s.length & 3;
  if (rem === 1 || !B64URL_CHARS.test(s)) return false;
  if (rem === 0) return true;
  const last = charValue(s.charCodeAt(s.length - 1));
  return rem === 2 ? (last & 0x0f) === 0 : (last & 0x03) === 0;
}

/**
 * Decodes key material given as base64 or base64url (padding optional).
 * Returns undefined when the text is not valid or not canonical.
 */
export function decodeKeyText(text: string): Buffer | undefined {
  const s = text.trim();
  if (s.length === 0) return undefined;
  if (!B64_STD.test(s) && !B64_URL.test(s)) return undefined;
  const unpadded = s.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  if (!isCanonicalBase64Url(unpadded)) return undefined;
  return Buffer.from(unpadded, 'base64url');
}

/** Standard base64 without padding, as PHC strings use. */
export function toB64NoPad(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('base64')
    .replace(/=+$/, '');
}

/** Strict decode of unpadded standard base64 (PHC); undefined when invalid. */
export function fromB64NoPad(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*$/.test(text)) return undefined;
  const url = text.replace(/\+/g, '-').replace(/\//g, '_');
  return isCanonicalBase64Url(url) ? Buffer.from(url, 'base64url') : undefined;
}

/**
 * False when `s` holds a lone surrogate: UTF-8 encoding would silently turn it
 * into U+FFFD, so what comes back would differ from what went in.
 * (`String.prototype.isWellFormed`, Node ≥ 20; not in the ES2023 lib types.)
 */
export function isWellFormedString(s: string): boolean {
  return (s as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/**
 * Refuses plaintext that is neither bytes nor well-formed text: a lone
 * surrogate would come back as U+FFFD after UTF-8.
 */
export function checkPlaintext(plaintext: unknown): asserts plaintext is string | Uint8Array {
  if (typeof plaintext === 'string' ? isWellFormedString(plaintext) : isUint8Array(plaintext))
    return;
  throw invalidArgument(
    typeof plaintext === 'string'
      ? 'encrypt: plaintext string has a lone surrogate (not valid Unicode); pass bytes instead'
      : 'encrypt: plaintext must be a string or a Uint8Array',
  );
}
