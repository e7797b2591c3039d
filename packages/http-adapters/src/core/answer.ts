import type { Readable } from 'node:stream';
import { primeStream, type RawBody } from './raw-body.js';
import { isReply, type Reply } from './reply.js';
import { type HttpResponse, jsonResponse } from './response.js';

/** A response, or the promise of one when some step on the way was asynchronous. */
export type Answer = HttpResponse | Promise<HttpResponse>;

export const isThenable = <T>(value: T | PromiseLike<T>): value is PromiseLike<T> =>
  typeof (value as PromiseLike<T> | null | undefined)?.then === 'function';

function toResponse(result: unknown, status = 200): HttpResponse {
  if (isReply(result) && result.text) {
    const body = String(result.body);
    const headers = { ...result.headers, 'content-length': String(Buffer.byteLength(body)) };
    return { status: result.status, headers, body };
  }
  if (isReply(result)) return jsonResponse(result.status, result.body, { ...result.headers });
  return result === undefined ? jsonResponse(204, undefined) : jsonResponse(status, result);
}

/** A stream reply, once its first bytes are there (a failure before them is thrown). */
async function streamResponse(result: Reply): Promise<HttpResponse> {
  const stream = result.body as Readable;
  try {
    await primeStream(stream);
  } catch (err) {
    stream.destroy();
    throw err;
  }
  return { status: result.status, headers: { ...result.headers }, body: undefined, stream };
}

const settled = (result: unknown, status: number | undefined): Answer =>
  isReply(result) && result.stream ? streamResponse(result) : toResponse(result, status);

/**
 * The response to what a handler returned (a value, a `reply(...)`, a stream
 * reply, or a promise of one); synchronous when the handler was.
 */
export function answer(returned: unknown, status: number | undefined): Answer {
  return isThenable(returned)
    ? Promise.resolve(returned).then((result) => settled(result, status))
    : settled(returned, status);
}

/**
 * {@link answer} for a route that takes its upload as a stream: whatever the
 * handler did not consume (it threw, or answered early) is dropped unbuffered
 * afterwards, so the connection stays usable.
 */
export async function answerUpload(
  handle: () => unknown,
  status: number | undefined,
  rawBody: RawBody,
): Promise<HttpResponse> {
  try {
    return await answer(handle(), status);
  } finally {
    if (!rawBody.stream.readableEnded) rawBody.stream.destroy();
  }
}
