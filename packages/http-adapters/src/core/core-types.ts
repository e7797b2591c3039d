// The contract between the core and the adapters that drive it (core.ts implements it).
import type { RequestContext } from '@plinth/context';
import type { AppError } from '@plinth/errors';
import type { BodyStreamLike } from './body.js';
import type { HttpResponse } from './response.js';
import type { RouteDefinition } from './route.js';
import type { RawRequestLike } from './start.js';

/** The part of Node's `ServerResponse` the core touches (both frameworks expose it). */
export interface RawResponseLike {
  setHeader(name: string, value: string): unknown;
  getHeader(name: string): unknown;
  readonly statusCode: number;
  readonly writableFinished: boolean;
  on(event: 'close', listener: () => void): unknown;
}

/**
 * Where an adapter collects a response's headers when that is cheaper than
 * the raw response (a Fastify reply: one `writeHead` with every header
 * instead of a `setHeader` each, ADR 0107).
 */
export interface ResponseHeadersLike {
  header(name: string, value: string): unknown;
  headers(values: Readonly<Record<string, string>>): unknown;
  getHeader(name: string): unknown;
}

/** Per-request state the adapters share with the core. */
export interface RequestState {
  context: RequestContext;
  route: string | undefined;
  error: AppError | undefined;
  readonly preflight: boolean;
  /** `RateLimit-Policy` and `RateLimit`, once the request is counted; added to whatever response goes out. */
  rateLimitHeaders?: Readonly<Record<string, string>> | undefined;
  /** The routed request's `redactQuery` names, for its access-log line. */
  redactQuery?: readonly string[] | undefined;
  /** The resource a denial is recorded against, from the route's `auditResource` and its validated params. */
  resource?: { type: string; id: string } | undefined;
  /** The route `begin` settled the leading pre-handlers for, and how many it settled ({@link PreHandler.atStart}). */
  startRoute?: RouteDefinition | undefined;
  settled?: number | undefined;
}

/** The framework-free request pipeline an adapter drives. */
export interface HttpCore {
  readonly routes: readonly RouteDefinition[];
  readonly bodyLimit: number;
  /**
   * Enter a request: context, `x-correlation-id` and CORS headers, access log
   * on close. The headers go on `res`, or on `headers` when given. `route` is
   * the route the framework already matched (Fastify routes before its first
   * hook): the context then starts with its operation instead of deriving it in
   * {@link HttpCore.run}.
   */
  begin(
    req: RawRequestLike,
    res: RawResponseLike,
    ip?: string,
    headers?: ResponseHeadersLike,
    route?: RouteDefinition,
  ): RequestState;
  /**
   * Body, validation, pre-handlers and the handler of a matched route, in the
   * request's context. `mountPath` is where the framework mounted the routes
   * and already stripped from `req.url` (Express's `req.baseUrl`); it only
   * completes the route template that is logged and put in the context.
   */
  run(
    route: RouteDefinition,
    req: RawRequestLike & BodyStreamLike,
    mountPath?: string,
  ): Promise<HttpResponse>;
  /** 404, or 405 with the allowed methods, for a request no route took. */
  unmatched(req: RawRequestLike): AppError;
  /** Render anything thrown as problem+json; records it on the span and reports it. */
  fail(error: unknown, req: RawRequestLike): HttpResponse;
}
