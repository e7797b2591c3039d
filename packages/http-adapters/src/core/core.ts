import type { Readable } from 'node:stream';
import { deriveContext, type RequestContext, runWithContext } from '@plinth/context';
import type { AppError } from '@plinth/errors';
import { safeLogger, stderrLogger } from '@plinth/internal';
import { withLimitHeaders } from '../rate-limit/response-headers.js';
import { accessLogRecord } from './access-log.js';
import { auditDenial, refusalReason } from './audit-denial.js';
import { type BodyStreamLike, DEFAULT_BODY_LIMIT, readJsonBody } from './body.js';
import { type CorsPolicy, createCorsPolicy } from './cors.js';
import { checkOptions, type HttpAdapterOptions } from './options.js';
import { nameSpan, recordSpanError } from './otel.js';
import { problemResponse } from './problem.js';
import { openRawBody, primeStream } from './raw-body.js';
import { isReply, type Reply } from './reply.js';
import { reportError } from './reporter.js';
import { badUrl, methodNotAllowed, routeNotFound } from './request-errors.js';
import { type HttpResponse, jsonResponse } from './response.js';
import type { HandlerRequest, RouteDefinition } from './route.js';
import { createRouteTable } from './route-table.js';
import { CORRELATION_ID_HEADER, type RawRequestLike, requestContextFor } from './start.js';
import { systemRoutes } from './system-routes.js';
import { parseQuery, validateParts } from './validate.js';

/** The part of Node's `ServerResponse` the core touches (both frameworks expose it). */
export interface RawResponseLike {
  setHeader(name: string, value: string): unknown;
  getHeader(name: string): unknown;
  readonly statusCode: number;
  readonly writableFinished: boolean;
  once(event: 'close', listener: () => void): unknown;
}

/** Per-request state the adapters share with the core. */
export interface RequestState {
  context: RequestContext;
  route: string | undefined;
  error: AppError | undefined;
  readonly preflight: boolean;
  /** `RateLimit-Policy` and `RateLimit`, once the request is counted; added to whatever response goes out. */
  rateLimitHeaders?: Readonly<Record<string, string>> | undefined;
}

/** The framework-free request pipeline an adapter drives. */
export interface HttpCore {
  readonly routes: readonly RouteDefinition[];
  readonly bodyLimit: number;
  /** Enter a request: context, `x-correlation-id` and CORS headers, access log on close. */
  begin(req: RawRequestLike, res: RawResponseLike, ip?: string): RequestState;
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

/**
 * Node keeps only the first of repeated `Authorization` headers; an array here
 * lets authentication refuse the request instead of picking one.
 */
function withRepeatedAuthorization(
  req: RawRequestLike,
): Record<string, string | string[] | undefined> {
  const headers = { ...req.headers };
  if (headers.authorization === undefined || !req.rawHeaders) return headers;
  const raw = req.rawHeaders;
  const values = raw.filter((_v, i) => i % 2 === 1 && /^authorization$/i.test(raw[i - 1] ?? ''));
  if (values.length > 1) headers.authorization = values;
  return headers;
}

const pathOf = (url: string | undefined) => (url ?? '/').split('?')[0] as string;

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

/**
 * Build the core both adapters translate. Options are checked once here
 * (`INVALID_OPTIONS` on a wiring mistake). `mount.prefix` is the path the
 * framework puts before every route (a Fastify plugin prefix), so matching,
 * params and logged route templates use the full path.
 *
 * @example
 * ```ts
 * import { createHttpCore, defineRoute } from '@plinth/http-adapters';
 *
 * const core = createHttpCore({ routes: [defineRoute({ method: 'GET', path: '/hi', handler: () => ({ hi: 1 }) })] });
 * ```
 */
export function createHttpCore(
  options: HttpAdapterOptions = {},
  mount: { prefix?: string } = {},
): HttpCore {
  checkOptions(options);
  const declared = options.routes ?? [];
  const routes = [
    ...declared,
    ...systemRoutes(declared, options.health, options.openapi, options.docs),
  ];
  const prefix = mount.prefix ?? '';
  const table = createRouteTable(routes, prefix);
  const logger = safeLogger(options.logger ?? stderrLogger());
  const limits = options.rateLimit?.bindRoutes(declared, routes.slice(declared.length), logger);
  const cors: CorsPolicy | undefined = options.cors ? createCorsPolicy(options.cors) : undefined;
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const states = new WeakMap<object, RequestState>();
  const render = { debug: options.debug === true, typeBase: options.problemTypeBase };

  const newState = (req: RawRequestLike, ip: string | undefined, preflight: boolean) => {
    const state: RequestState = {
      context: requestContextFor(req, ip),
      route: undefined,
      error: undefined,
      preflight,
      rateLimitHeaders: undefined,
    };
    states.set(req, state);
    return state;
  };

  const logDone = (
    req: RawRequestLike,
    res: RawResponseLike,
    state: RequestState,
    started: number,
  ) => {
    if (options.accessLog?.enabled === false) return;
    const aborted = !res.writableFinished;
    const { level, record, message } = accessLogRecord(
      {
        method: req.method ?? 'GET',
        url: req.originalUrl ?? req.url ?? '/',
        route: state.route,
        status: aborted ? 0 : res.statusCode,
        startedAt: started,
        bytesOut: req.method === 'HEAD' ? 0 : Number(res.getHeader('content-length')) || 0,
        aborted,
        headers: req.headers,
        context: state.context,
      },
      options.accessLog,
    );
    const err = state.error;
    const fields = err
      ? {
          ...record,
          errorCode: err.code,
          errorId: err.errorId,
          ...(refusalReason(err) ? { reason: refusalReason(err) } : {}),
          ...(err.status >= 500 ? { err } : {}),
        }
      : record;
    logger[level](fields, message);
  };

  return {
    routes,
    bodyLimit,
    begin(req, res, ip) {
      const started = performance.now();
      const decision = cors?.(req.method ?? 'GET', req.headers);
      const state = newState(req, ip, decision?.preflight === true);
      res.setHeader(CORRELATION_ID_HEADER, state.context.correlationId);
      for (const [name, value] of Object.entries(decision?.headers ?? {}))
        res.setHeader(name, value);
      res.once('close', () => logDone(req, res, state, started));
      return state;
    },
    async run(route, req, mountPath = '') {
      const state = states.get(req) ?? newState(req, undefined, false);
      const method = req.method ?? 'GET';
      const template = prefix + route.path;
      const fullTemplate = mountPath + template;
      state.route = fullTemplate;
      state.context = deriveContext(state.context, { operation: `${method} ${fullTemplate}` });
      nameSpan(method, fullTemplate);
      const quota = limits?.get(route);
      const pending = runWithContext(state.context, async () => {
        let params: Record<string, string>;
        try {
          params = table.params(template, pathOf(req.url));
        } catch {
          throw badUrl();
        }
        const limit = route.bodyLimit ?? bodyLimit;
        const stream = route.body === 'stream';
        const rawBody = stream ? openRawBody(req, limit, route.mediaTypes ?? []) : undefined;
        const body = stream ? undefined : await readJsonBody(req, limit);
        const parts = validateParts(route.schema, {
          params,
          query: parseQuery(req.url ?? '/'),
          headers: withRepeatedAuthorization(req),
          body,
        });
        let request: HandlerRequest = {
          method,
          url: req.url ?? '/',
          route: fullTemplate,
          ...parts,
          context: state.context,
          policy: route.policy ?? {},
          ...(rawBody ? { rawBody } : {}),
        };
        for (const pre of options.preHandlers ?? []) {
          const patch = (await runWithContext(state.context, () => pre(request)))?.context;
          if (patch) {
            state.context = deriveContext(state.context, patch);
            request = { ...request, context: state.context };
          }
        }
        if (quota) await quota.admit(state);
        try {
          const result = await runWithContext(state.context, () => route.handler(request));
          if (isReply(result) && result.stream) return await streamResponse(result);
          return toResponse(result, route.status);
        } finally {
          // A handler that did not consume an upload (it threw, or answered early):
          // drop the rest unbuffered so the connection stays usable.
          if (rawBody && !rawBody.stream.readableEnded) rawBody.stream.destroy();
        }
      });
      if (!quota) return pending;
      return pending.then(
        (response) => withLimitHeaders(response, state.rateLimitHeaders),
        async (error: unknown) => {
          throw await quota.refuse(error, state);
        },
      );
    },
    unmatched(req) {
      const allow = table.allowed(pathOf(req.url));
      return allow.length === 0 ? routeNotFound() : methodNotAllowed(allow);
    },
    fail(error, req) {
      const state = states.get(req);
      // A percent escape that does not decode (Express's router throws URIError for params).
      const thrown = (error as Error | undefined)?.name === 'URIError' ? badUrl() : error;
      const response = problemResponse(
        thrown,
        pathOf(req.originalUrl ?? req.url).slice(0, 256),
        state?.context.correlationId,
        render,
      );
      if (state) state.error = response.error;
      recordSpanError(response.error);
      auditDenial(options.audit, response.error, state, req.method ?? 'GET', logger);
      reportError(
        options.onError,
        response.error,
        state?.context,
        logger,
        options.reporterTimeoutMs,
      );
      return withLimitHeaders(response, state?.rateLimitHeaders);
    },
  };
}
