import { Readable } from 'node:stream';
import { AppError } from '@plinth/errors';
import { type BodyStreamLike, hasBody, requestAborted } from './body.js';
import { bodyTooLarge, unsupportedMediaTypeOf } from './request-errors.js';

/** A media type as routes list it: `type/subtype`, lower-case, no parameters. */
export const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/**
 * The unread request body of a route declared with `body: 'stream'`: the
 * bytes as they arrive, never buffered whole by the adapter.
 */
export interface RawBody {
  /**
   * The body bytes. Errors with a 413 `BODY_TOO_LARGE` AppError as soon as more
   * than the route's `bodyLimit` arrived, and with a 400 `REQUEST_ABORTED` one
   * when the client disconnects before the end: a consumer that sees `end`
   * has the whole body. Read it once; destroying it discards the rest.
   */
  readonly stream: Readable;
  /** The request's media type, lower-case, without parameters: one of the route's `mediaTypes`. */
  readonly mediaType: string;
  /** The declared `Content-Length`, when the client sent one (chunked uploads have none). */
  readonly length: number | undefined;
}

/** The media type of a request, lower-case, without parameters ('' when absent). */
function mediaTypeOf(headers: BodyStreamLike['headers']): string {
  const raw = headers['content-type'];
  return typeof raw === 'string' ? (raw.split(';')[0] ?? '').trim().toLowerCase() : '';
}

/**
 * Check a stream route's request head (415 for a media type off the route's
 * list or a content coding, 413 for a declared length over `limit`) and wrap
 * the request in a {@link RawBody}. On a refusal the request is drained
 * unbuffered so the connection can be reused.
 */
export function openRawBody(
  req: BodyStreamLike,
  limit: number,
  mediaTypes: readonly string[],
): RawBody {
  const { headers } = req;
  const mediaType = mediaTypeOf(headers);
  const encoding = headers['content-encoding'];
  const declared = headers['content-length'];
  const length = typeof declared === 'string' && declared !== '' ? Number(declared) : undefined;
  try {
    if (!mediaTypes.includes(mediaType) || (encoding !== undefined && encoding !== 'identity'))
      throw unsupportedMediaTypeOf(mediaTypes);
    if (length !== undefined && length > limit) throw bodyTooLarge(limit);
  } catch (err) {
    req.resume();
    throw err;
  }
  if (!hasBody(headers) || req.readableEnded === true) {
    return { stream: Readable.from([]), mediaType, length };
  }
  return { stream: limitedStream(req, limit), mediaType, length };
}

/**
 * The request's bytes with backpressure, the byte limit and disconnects turned
 * into stream errors. Nothing is read from the request until the consumer
 * reads: a request refused before that (a pre-handler's 401) is left to Node,
 * which discards an unconsumed body once the response is sent, so the
 * connection stays usable.
 */
function limitedStream(req: BodyStreamLike, limit: number): Readable {
  const source = req as BodyStreamLike & { pause(): unknown; readonly destroyed?: boolean };
  let size = 0;
  let attached = false;
  let settled = false;
  const out = new Readable({
    read: () => {
      if (attached) return void source.resume();
      attached = true;
      attach();
    },
    destroy: (err, callback) => {
      // The consumer gave up (or the limit was hit): discard what is left, unbuffered.
      if (attached && !settled) finish();
      source.resume();
      callback(err);
    },
  });
  const finish = () => {
    settled = true;
    source.removeListener('data', onData);
    source.removeListener('end', onEnd);
    source.removeListener('error', onAbort);
    source.removeListener('close', onAbort);
  };
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) {
      finish();
      out.destroy(bodyTooLarge(limit));
      return;
    }
    if (!out.push(chunk)) source.pause();
  };
  const onEnd = () => {
    finish();
    out.push(null);
  };
  const onAbort = () => {
    finish();
    out.destroy(requestAborted());
  };
  const attach = () => {
    source.on('data', onData);
    source.on('end', onEnd);
    source.on('error', onAbort);
    source.on('close', onAbort);
    // The client left before the consumer started: no 'close' is coming any more.
    if (source.destroyed === true && source.readableEnded !== true) onAbort();
  };
  return out;
}

/**
 * Wait until a response stream has its first bytes, has ended, or has failed:
 * a failure before any byte (a key that does not unwrap, a missing object)
 * is thrown here and answered as problem+json like any handler error; once
 * bytes flow, a failure can only cut the connection.
 */
export async function primeStream(stream: Readable): Promise<void> {
  if (stream.errored) throw stream.errored;
  if (stream.readableLength > 0 || stream.readableEnded) return;
  await new Promise<void>((resolve, reject) => {
    const done = (err?: Error | null) => {
      stream.removeListener('readable', onReadable);
      stream.removeListener('error', done);
      stream.removeListener('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onReadable = () => done();
    const onClose = () =>
      done(
        stream.errored ??
          new AppError('The response stream closed before it produced anything', {
            code: 'RESPONSE_STREAM_CLOSED',
          }),
      );
    stream.on('readable', onReadable);
    stream.once('error', done);
    stream.once('close', onClose);
  });
  // Between now and the adapter's pipeline a failure must not become an uncaught
  // 'error' event; the pipeline sees it through the stream's errored state.
  stream.on('error', ignore);
}

const ignore = () => {};
