import {
  decodeHeader,
  type Header,
  MAX_HEADER_BYTES,
  MESSAGE_ID_BYTES,
  malformed,
  TAG_BYTES,
} from './format.js';

/** Bytes before the provider id: magic, version, suite, frame length, message id, provider length. */
const PREFIX_BYTES = 9 + MESSAGE_ID_BYTES + 1;

/**
 * Collects a blob's header from stream chunks in linear time: bytes are
 * appended once to a buffer that doubles (capped at the 64 KiB header bound),
 * and the header's total length is found by a scanner that resumes where it
 * stopped, so the full parse runs once. A first chunk holding the whole header
 * is parsed in place, without copying.
 */
export class HeaderReader {
  #buf: Buffer = Buffer.alloc(0);
  #length = 0;
  // Scanner state: `#pos` = bytes of the header accounted for so far.
  #pos = 0;
  #stage: 'prefix' | 'keyId' | 'edk' | 'count' | 'pairs' | 'tag' | 'done' = 'prefix';
  #fieldsLeft = 0;

  /** Bytes collected so far. */
  get length(): number {
    return this.#length;
  }

  /**
   * Adds a chunk; returns the header and the bytes after it once the header is
   * complete, undefined while more bytes are needed. Throws
   * `CIPHERTEXT_MALFORMED` as soon as the bytes cannot start a valid header.
   */
  push(chunk: Buffer): { header: Header; rest: Buffer[] } | undefined {
    if (chunk.length === 0) return undefined;
    if (this.#length === 0) {
      const total = this.#scan(chunk, chunk.length);
      if (total !== undefined) return this.#finish(chunk, total, [chunk.subarray(total)]);
    }
    const room = MAX_HEADER_BYTES - this.#length;
    const taken = Math.min(room, chunk.length);
    this.#append(chunk, taken);
    const total = this.#scan(this.#buf, this.#length);
    if (total === undefined) {
      // The scanner refuses any header over the bound before the buffer fills up.
      return undefined;
    }
    const rest = [this.#buf.subarray(total, this.#length), chunk.subarray(taken)];
    return this.#finish(this.#buf, total, rest);
  }

  #finish(buf: Buffer, total: number, rest: Buffer[]) {
    const header = decodeHeader(buf.subarray(0, total));
    if (header === undefined || header.length !== total) malformed('inconsistent header');
    this.#buf = Buffer.alloc(0);
    this.#length = 0;
    return { header, rest };
  }

  #append(chunk: Buffer, n: number): void {
    const needed = this.#length + n;
    if (needed > this.#buf.length) {
      const grown = Buffer.allocUnsafe(
        Math.min(MAX_HEADER_BYTES, Math.max(needed, this.#buf.length * 2, 256)),
      );
      this.#buf.copy(grown, 0, 0, this.#length);
      this.#buf = grown;
    }
    chunk.copy(this.#buf, this.#length, 0, n);
    this.#length = needed;
  }

  /** Advances the scanner over `buf[0..len)`; the header's total length once known. */
  #scan(buf: Buffer, len: number): number | undefined {
    const need = (n: number) => {
      if (this.#pos + n > MAX_HEADER_BYTES) malformed('header larger than 64 KiB');
      return this.#pos + n <= len;
    };
    if (this.#stage === 'prefix') {
      // decodeHeader validates magic, version, suite, frame length and the
      // provider length byte on at most PREFIX_BYTES bytes (constant work).
      decodeHeader(buf.subarray(0, Math.min(len, PREFIX_BYTES)));
      if (!need(PREFIX_BYTES)) return undefined;
      this.#pos = PREFIX_BYTES + buf[PREFIX_BYTES - 1]!;
      this.#stage = 'keyId';
    }
    const skipVar = (): boolean => {
      if (!need(2)) return false;
      const size = buf.readUInt16BE(this.#pos);
      if (!need(2 + size)) return false;
      this.#pos += 2 + size;
      return true;
    };
    if (this.#stage === 'keyId') {
      if (!skipVar()) return undefined;
      this.#stage = 'edk';
    }
    if (this.#stage === 'edk') {
      if (!skipVar()) return undefined;
      this.#stage = 'count';
    }
    if (this.#stage === 'count') {
      if (!need(2)) return undefined;
      this.#fieldsLeft = 2 * buf.readUInt16BE(this.#pos);
      this.#pos += 2;
      this.#stage = 'pairs';
    }
    if (this.#stage === 'pairs') {
      while (this.#fieldsLeft > 0) {
        if (!skipVar()) return undefined;
        this.#fieldsLeft -= 1;
      }
      this.#stage = 'tag';
    }
    if (this.#stage === 'tag') {
      if (!need(TAG_BYTES)) return undefined;
      this.#pos += TAG_BYTES;
      this.#stage = 'done';
    }
    return this.#pos;
  }
}
