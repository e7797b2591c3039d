import { createCipheriv, createDecipheriv, type KeyObject } from 'node:crypto';
import { invalidArgument } from '../errors.js';
import { ByteQueue } from './byte-queue.js';
import {
  FLAG_FINAL,
  FLAG_REGULAR,
  FRAME_HEADER_BYTES,
  frameAad,
  frameHeader,
  frameIv,
  type Header,
  integrity,
  MAX_FRAMES,
  malformed,
  TAG_BYTES,
} from './format.js';

/**
 * Splits plaintext into frames: every frame but the last holds exactly
 * `frameLength` bytes; the last is marked final (and may be empty). A frame is
 * only emitted once more bytes follow it, so the final one is always known.
 */
export function createFrameEncryptor(
  key: KeyObject,
  tag: Buffer,
  frameLength: number,
  maxBytes?: number,
) {
  const pending = new ByteQueue();
  let seq = 1;
  let total = 0;

  function seal(plain: Buffer, flags: number): Buffer {
    if (seq > MAX_FRAMES) throw invalidArgument('Envelope message exceeds 2^32-1 frames');
    const cipher = createCipheriv('aes-256-gcm', key, frameIv(seq));
    cipher.setAAD(frameAad(tag, seq, flags, plain.length));
    const body = cipher.update(plain);
    cipher.final();
    const out = Buffer.concat([frameHeader(seq, flags, plain.length), body, cipher.getAuthTag()]);
    seq += 1;
    return out;
  }

  return {
    update(chunk: Buffer): Buffer[] {
      total += chunk.length;
      if (maxBytes !== undefined && total > maxBytes) {
        throw invalidArgument('Stream is longer than the declared plaintextLength');
      }
      pending.push(chunk);
      const out: Buffer[] = [];
      while (pending.length > frameLength) out.push(seal(pending.take(frameLength), FLAG_REGULAR));
      return out;
    },
    final(): Buffer {
      return seal(pending.take(pending.length), FLAG_FINAL);
    },
  };
}

/** Incremental frame parser/decryptor; releases a frame's plaintext only after its tag verifies. */
export function createFrameDecryptor(key: KeyObject, header: Header) {
  const queue = new ByteQueue();
  let seq = 1;
  let done = false;

  function open(seqField: number, flags: number, length: number, body: Buffer): Buffer {
    if (seqField !== seq)
      integrity('frame sequence mismatch: reordered, duplicated or missing frame');
    const decipher = createDecipheriv('aes-256-gcm', key, frameIv(seq), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(frameAad(header.tag, seq, flags, length));
    decipher.setAuthTag(body.subarray(length));
    try {
      const plain = decipher.update(body.subarray(0, length));
      decipher.final();
      return plain;
    } catch {
      integrity('frame tag mismatch');
    }
  }

  return {
    push(chunk: Buffer): Buffer[] {
      if (done) {
        if (chunk.length > 0) integrity('data after the final frame');
        return [];
      }
      queue.push(chunk);
      const out: Buffer[] = [];
      while (!done && queue.length >= FRAME_HEADER_BYTES) {
        const head = queue.peek(FRAME_HEADER_BYTES);
        const seqField = head.readUInt32BE(0);
        const flags = head[4]!;
        const length = head.readUInt32BE(5);
        if (flags !== FLAG_REGULAR && flags !== FLAG_FINAL) malformed('unknown frame flags');
        if (flags === FLAG_REGULAR ? length !== header.frameLength : length > header.frameLength) {
          malformed('frame length does not match the header');
        }
        // One encoding per plaintext: a final frame is empty only in an empty message.
        if (flags === FLAG_FINAL && length === 0 && seq > 1) {
          malformed('empty final frame after a full frame (a full final frame is the encoding)');
        }
        if (queue.length < FRAME_HEADER_BYTES + length + TAG_BYTES) break;
        queue.take(FRAME_HEADER_BYTES);
        const plain = open(seqField, flags, length, queue.take(length + TAG_BYTES));
        seq += 1;
        if (flags === FLAG_FINAL) done = true;
        if (plain.length > 0) out.push(plain);
      }
      if (done && queue.length > 0) integrity('data after the final frame');
      return out;
    },
    end(): void {
      if (!done) integrity('stream ended before the final frame (truncated)');
    },
  };
}
