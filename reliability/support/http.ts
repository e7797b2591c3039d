import { Agent, type IncomingHttpHeaders, request } from 'node:http';
import type { Readable } from 'node:stream';

export interface RequestSpec {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  /** A plain object is sent as JSON. */
  body?: string | Buffer | Readable | Record<string, unknown> | unknown[];
}

export interface HttpResult {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Time to the end of the response body, ms. */
  ms: number;
  /** The body parsed as JSON when the content type says JSON; undefined otherwise. */
  json: unknown;
}

/** A failure below HTTP (reset, refused, hang); `code` is the errno or `TIMEOUT`. */
export class TransportError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A keep-alive agent with at most `maxSockets` connections. */
export const keepAliveAgent = (maxSockets: number) =>
  new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });

/**
 * One HTTP request over node:http. Rejects with a TransportError when the
 * connection fails or the response does not finish within `timeoutMs`.
 */
export function send(
  baseUrl: string,
  spec: RequestSpec,
  { agent, timeoutMs = 15_000 }: { agent?: Agent | false; timeoutMs?: number } = {},
): Promise<HttpResult> {
  const url = new URL(spec.path, baseUrl);
  const headers: Record<string, string> = { ...spec.headers };
  let payload: string | Buffer | Readable | undefined;
  const b = spec.body;
  if (b === undefined || typeof b === 'string' || Buffer.isBuffer(b)) payload = b;
  else if (typeof (b as Readable).pipe === 'function') payload = b as Readable;
  else {
    payload = JSON.stringify(b);
    headers['content-type'] ??= 'application/json';
  }
  if (typeof payload === 'string' || Buffer.isBuffer(payload))
    headers['content-length'] ??= String(Buffer.byteLength(payload));
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (code: string, message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(new TransportError(code, message));
    };
    const req = request(
      url,
      { method: spec.method ?? 'GET', headers, agent: agent ?? undefined },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => fail((err as NodeJS.ErrnoException).code ?? 'EBODY', err.message));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const body = Buffer.concat(chunks);
          const type = String(res.headers['content-type'] ?? '');
          let json: unknown;
          if (/json/.test(type) && body.length > 0) {
            try {
              json = JSON.parse(body.toString('utf8'));
            } catch {
              json = undefined;
            }
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            ms: performance.now() - started,
            json,
          });
        });
      },
    );
    const timer = setTimeout(
      () => fail('TIMEOUT', `no complete response in ${timeoutMs} ms`),
      timeoutMs,
    );
    req.on('error', (err) => fail((err as NodeJS.ErrnoException).code ?? 'EREQUEST', err.message));
    if (payload === undefined) req.end();
    else if (typeof payload === 'string' || Buffer.isBuffer(payload)) req.end(payload);
    else {
      payload.on('error', (err) => fail('EUPLOAD', err.message));
      payload.pipe(req);
    }
  });
}
