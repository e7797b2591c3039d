import type { Readable } from 'node:stream';

/** A framework-neutral response: what the adapters write, byte for byte. */
export interface HttpResponse {
  readonly status: number;
  /** Lower-case names. `content-length` is set whenever there is a body. */
  readonly headers: Readonly<Record<string, string>>;
  /** The serialised body, or undefined for none (204, HEAD, or a streamed body). */
  readonly body: string | undefined;
  /** A body streamed as it is produced (a download); already primed by the core, so it has not failed yet. */
  readonly stream?: Readable;
}

/** Serialise `value` as a JSON response (undefined → no body); a `content-type` in `headers` wins. */
export function jsonResponse(
  status: number,
  value: unknown,
  headers?: Record<string, string>,
  contentType = 'application/json; charset=utf-8',
): HttpResponse {
  if (value === undefined) return { status, headers: { ...headers }, body: undefined };
  const body = JSON.stringify(value);
  const length = String(Buffer.byteLength(body));
  return {
    status,
    headers:
      headers === undefined
        ? { 'content-type': contentType, 'content-length': length }
        : { 'content-type': contentType, ...headers, 'content-length': length },
    body,
  };
}
