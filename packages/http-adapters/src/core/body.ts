import { isUtf8 } from 'node:buffer';
import { AppError } from '@plinth/errors';
import { parseJsonBody } from './json.js';
import { bodyTooLarge, malformedJson, unsupportedMediaType } from './request-errors.js';

/**
 * Default maximum request body: 1 MiB.
 *
 * @example
 * ```ts
 * import { DEFAULT_BODY_LIMIT } from '@plinth/http-adapters';
 *
 * const uploadLimit = 10 * DEFAULT_BODY_LIMIT;
 * ```
 */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** The part of Node's `IncomingMessage` the body reader uses. */
export interface BodyStreamLike {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  on(event: string, listener: (...args: never[]) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
  resume(): unknown;
  readonly complete?: boolean;
  readonly readableEnded?: boolean;
}

const JSON_TYPE = /^application\/(?:[a-z0-9.+-]*\+)?json$/;

/** Whether the request carries a body at all (RFC 9112 §6.3). */
export function hasBody(headers: BodyStreamLike['headers']): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return typeof length === 'string' && length !== '0';
}

function checkMediaType(headers: BodyStreamLike['headers']): void {
  const raw = headers['content-type'];
  const [type = '', ...params] = typeof raw === 'string' ? raw.toLowerCase().split(';') : [];
  const charset = params.map((p) => p.trim()).find((p) => p.startsWith('charset='));
  const encoding = headers['content-encoding'];
  if (
    !JSON_TYPE.test(type.trim()) ||
    (charset !== undefined && charset.replace(/"/g, '') !== 'charset=utf-8') ||
    (encoding !== undefined && encoding !== 'identity')
  ) {
    throw unsupportedMediaType();
  }
}

/** 400 `REQUEST_ABORTED`: the client closed the request before the end of its body. */
export const requestAborted = (): AppError =>
  new AppError('The client closed the request before sending the whole body', {
    status: 400,
    code: 'REQUEST_ABORTED',
    severity: 'info',
  });

/**
 * Read and parse a JSON request body with a byte limit: `undefined` when the
 * request has none; 415 for another media type, charset or content coding;
 * 413 as soon as the declared or received size passes `limit` (the rest of
 * the body is discarded unbuffered, so memory stays bounded); 400
 * `MALFORMED_JSON` for bytes that are not UTF-8 and for bad JSON (see
 * {@link parseJsonBody}).
 *
 * @example
 * ```ts
 * import { readJsonBody } from '@plinth/http-adapters';
 *
 * const body = await readJsonBody(req, 64 * 1024);
 * ```
 */
export function readJsonBody(stream: BodyStreamLike, limit = DEFAULT_BODY_LIMIT): Promise<unknown> {
  const { headers } = stream;
  if (!hasBody(headers)) return Promise.resolve(undefined);
  try {
    checkMediaType(headers);
    if (Number(headers['content-length']) > limit) throw bodyTooLarge(limit);
  } catch (err) {
    stream.resume();
    return Promise.reject(err);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onClose);
      stream.removeListener('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      cleanup();
      stream.resume();
      reject(bodyTooLarge(limit));
    };
    const onEnd = () => {
      cleanup();
      try {
        // RFC 8259 §8.1: JSON between systems is UTF-8. Bytes that are not are refused,
        // not decoded into U+FFFD and stored as if the client had sent that.
        const bytes = Buffer.concat(chunks, size);
        if (!isUtf8(bytes)) throw malformedJson('is not valid UTF-8');
        resolve(parseJsonBody(bytes.toString('utf8')));
      } catch (err) {
        reject(err);
      }
    };
    const onClose = () => {
      cleanup();
      reject(requestAborted());
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onClose);
    stream.on('close', onClose);
  });
}
