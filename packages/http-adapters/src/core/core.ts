import {
  type ContextPatch,
  deriveContext,
  enterContext,
  getContext,
  type RequestContext,
  runWithContext,
} from '@plinth/context';
import type { AppError } from '@plinth/errors';
import { safeLogger, stderrLogger } from '@plinth/internal';
import { withLimitHeaders } from '../rate-limit/response-headers.js';
import { createAccessLog } from './access-log.js';
import { type Answer, answer, answerUpload, isThenable } from './answer.js';
import { createStartSettler } from './at-start.js';
import { auditDenial, deniedResource, refusalReason } from './audit-denial.js';
import { type BodyStreamLike, DEFAULT_BODY_LIMIT, hasBody, readJsonBody } from './body.js';
import type { HttpCore, RawResponseLike, RequestState, ResponseHeadersLike } from './core-types.js';
import { type CorsPolicy, createCorsPolicy } from './cors.js';
import { checkOptions, type HttpAdapterOptions, type PreHandler } from './options.js';
import { nameSpan, recordSpanError } from './otel.js';
import { problemResponse } from './problem.js';
import { openRawBody } from './raw-body.js';
import { reportError } from './reporter.js';
import { badUrl, methodNotAllowed, routeNotFound } from './request-errors.js';
import type { HttpResponse } from './response.js';
import { type HandlerRequest, NO_POLICY, type RouteDefinition } from './route.js';
import { createRouteTable } from './route-table.js';
import {
  CORRELATION_ID_HEADER,
  type RawRequestLike,
  startContext,
  withRepeatedAuthorization,
} from './start.js';
import { systemRoutes } from './system-routes.js';
import { parseQuery, validateParts, withBody } from './validate.js';

const decodes = (text: string) => {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
};

const pathOf = (url = '/') => {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
};

/**
 * Run `fn` in `ctx`: Fastify calls the handler from inside the `onRequest`
 * hook's `runWithContext`, so the context is usually current already and a
 * second AsyncLocalStorage frame would only cost an allocation.
 */
const within = <T>(ctx: RequestContext, fn: () => T): T =>
  getContext() === ctx ? fn() : runWithContext(ctx, fn);

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
  // The state rides on the request object under a symbol of this core: a WeakMap
  // lookup per request, with hundreds of thousands of short-lived keys, costs far more.
  const STATE = Symbol('plinth.http-adapters.state');
  type Carrier = { [STATE]?: RequestState };
  const stateOf = (req: RawRequestLike) => (req as unknown as Carrier)[STATE];
  const accessLog = createAccessLog(options.accessLog);
  const logEnabled = options.accessLog?.enabled !== false;
  const preHandlers = options.preHandlers ?? [];
  const settleStart = createStartSettler(preHandlers);
  const render = { debug: options.debug === true, typeBase: options.problemTypeBase };

  const operationOf = (method: string, template: string) => `${method} ${template}`;
  // A path with a percent escape that does not decode is a bad request, not an unknown
  // route: Fastify's router refuses it before routing (`plinthFrameworkErrors`), and
  // Express answers it the same way.
  const unmatchedError = (req: RawRequestLike): AppError => {
    const path = pathOf(req.url);
    if (path.includes('%') && !decodes(path)) return badUrl();
    const allow = table.allowed(path);
    return allow.length === 0 ? routeNotFound() : methodNotAllowed(allow);
  };
  const newState = (
    req: RawRequestLike,
    ip: string | undefined,
    preflight: boolean,
    operation?: string,
    route?: RouteDefinition,
  ) => {
    const start =
      route && !preflight && settleStart
        ? settleStart(route, req, (identity) => startContext(req, ip, operation, identity))
        : undefined;
    const state: RequestState = {
      context: start ? start.context : startContext(req, ip, operation, undefined),
      route: undefined,
      error: undefined,
      preflight,
      rateLimitHeaders: undefined,
      startRoute: start?.count ? route : undefined,
      settled: start?.count,
    };
    (req as unknown as Carrier)[STATE] = state;
    return state;
  };

  const logDone = (
    req: RawRequestLike,
    res: RawResponseLike,
    state: RequestState,
    started: number,
    out: ResponseHeadersLike | undefined,
  ) => {
    const aborted = !res.writableFinished;
    const { level, record, message } = accessLog({
      method: req.method ?? 'GET',
      url: req.originalUrl ?? req.url ?? '/',
      route: state.route,
      status: aborted ? 0 : res.statusCode,
      startedAt: started,
      bytesOut: req.method === 'HEAD' ? 0 : Number((out ?? res).getHeader('content-length')) || 0,
      aborted,
      headers: req.headers,
      context: state.context,
      redactQuery: state.redactQuery,
    });
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

  // Not async: `run` hands back this promise itself (an async wrapper would add a
  // promise and three microtask turns per request), so a synchronous throw is turned
  // into a rejection there.
  const runRoute = (
    route: RouteDefinition,
    req: RawRequestLike & BodyStreamLike,
    mountPath: string,
  ): Promise<HttpResponse> => {
    const state = stateOf(req) ?? newState(req, undefined, false);
    const method = req.method ?? 'GET';
    const template = prefix + route.path;
    const fullTemplate = mountPath + template;
    state.route = fullTemplate;
    state.redactQuery = route.redactQuery;
    const operation = operationOf(method, fullTemplate);
    // The leading pre-handlers settled at the start skip their call: in `begin` when the
    // framework had routed already (the context was built with the identity), else here,
    // in the same derivation as the route's operation.
    let from = 0;
    if (state.startRoute === route) from = state.settled ?? 0;
    else {
      if (state.startRoute !== undefined) {
        // Settled for another route than the one that runs: start from no identity.
        state.context = deriveContext(state.context, { principal: undefined, tenantId: undefined });
        state.startRoute = undefined;
      }
      if (settleStart) {
        const parent = state.context;
        const start = settleStart(route, req, (identity) =>
          identity
            ? deriveContext(parent, {
                principal: identity.context.principal,
                tenantId: identity.context.tenantId,
                operation,
              })
            : parent,
        );
        state.context = start.context;
        from = start.count;
      }
    }
    if (state.context.operation !== operation)
      state.context = deriveContext(state.context, { operation });
    nameSpan(method, fullTemplate);
    const quota = limits?.get(route);
    // The rate-limit headers go on the answer, and an error thrown before the request was
    // counted (bad body, validation, 401/403) is counted now (it may become the 429).
    const limited = (response: HttpResponse) =>
      quota ? withLimitHeaders(response, state.rateLimitHeaders) : response;
    const refused = (error: unknown): Promise<never> =>
      quota
        ? quota.refuse(error, state).then((thrown) => Promise.reject(thrown))
        : Promise.reject(error);
    // Not an async function either: a synchronous answer is one resolved promise, and an
    // asynchronous one (a body, the rate-limit store) one `then` (no await of the answer).
    return within(state.context, (): Promise<HttpResponse> => {
      try {
        let params: Record<string, string> = {};
        if (template.includes(':')) {
          let found: Record<string, string> | undefined;
          try {
            found = table.params(template, pathOf(req.url));
          } catch {
            throw badUrl();
          }
          // A framework that matched an empty parameter (Fastify: `/v1/clients/` for
          // `/v1/clients/:id`) gets what Express answers: no route has this path.
          if (found === undefined) throw unmatchedError(req);
          params = found;
        }
        // Params, query and headers are checked before the pre-handlers; the body is read
        // only after them (ADR 0117): an unauthenticated or forbidden caller gets its 401/403
        // (audited) before any body is buffered, parsed or validated.
        const parts = validateParts(route.schema, {
          params,
          query: parseQuery(req.url ?? '/'),
          headers: withRepeatedAuthorization(req),
          body: undefined,
        });
        if (route.policy?.auditResource)
          state.resource = deniedResource(route.policy, parts.params);
        // Written out rather than spread: this literal is built on every request.
        const { params: validParams, query, headers } = parts;
        const request: HandlerRequest = {
          method,
          url: req.url ?? '/',
          route: fullTemplate,
          params: validParams,
          query,
          headers,
          body: undefined,
          context: state.context,
          policy: route.policy ?? NO_POLICY,
        };
        // The body, then the handler: synchronous for a request without a body.
        const limit = route.bodyLimit ?? bodyLimit;
        const handle = (current: HandlerRequest): Answer => {
          if (route.body === 'stream') {
            const rawBody = openRawBody(req, limit, route.mediaTypes ?? []);
            return answerUpload(
              () => route.handler({ ...current, rawBody }),
              route.status,
              rawBody,
            );
          }
          if (!hasBody(req.headers))
            return answer(route.handler(withBody(route.schema, current, undefined)), route.status);
          return readJsonBody(req, limit).then((body) =>
            answer(route.handler(withBody(route.schema, current, body)), route.status),
          );
        };
        // Pre-handlers from `from` on, then the quota and the handler, in the current
        // context; synchronous as long as they all are (no promise, no microtask turn per
        // request for the usual route). A pre-handler that derives a context has the rest
        // run in that one: `enter` is always the last step of the callback it runs in (this
        // route's scope or a promise continuation of it), so `enterContext` changes exactly
        // what a nested `runWithContext` would, for one context frame instead of two.
        const proceed = (current: HandlerRequest, from: number): Answer => {
          for (let i = from; i < preHandlers.length; i++) {
            const done = (preHandlers[i] as PreHandler)(current);
            if (isThenable(done))
              return Promise.resolve(done).then((r) => afterPre(current, i, r?.context));
            if (done?.context) return enter(current, i, done.context);
          }
          return quota ? quota.admit(state, () => handle(current)) : handle(current);
        };
        const afterPre = (current: HandlerRequest, i: number, patch: ContextPatch | undefined) =>
          patch ? enter(current, i, patch) : proceed(current, i + 1);
        const enter = (current: HandlerRequest, i: number, patch: ContextPatch): Answer => {
          state.context = deriveContext(state.context, patch);
          enterContext(state.context);
          return proceed({ ...current, context: state.context }, i + 1);
        };
        const answered = proceed(request, from);
        return isThenable(answered)
          ? answered.then(limited, refused)
          : Promise.resolve(limited(answered));
      } catch (error) {
        return refused(error);
      }
    });
  };

  return {
    routes,
    bodyLimit,
    begin(req, res, ip, out, route) {
      const started = performance.now();
      const method = req.method ?? 'GET';
      const decision = cors?.(method, req.headers);
      const operation = route && operationOf(method, prefix + route.path);
      const state = newState(req, ip, decision?.preflight === true, operation, route);
      if (out) {
        out.header(CORRELATION_ID_HEADER, state.context.correlationId);
        if (decision) out.headers(decision.headers);
      } else {
        res.setHeader(CORRELATION_ID_HEADER, state.context.correlationId);
        if (decision)
          for (const name in decision.headers)
            res.setHeader(name, decision.headers[name] as string);
      }
      // `on`, not `once`: a response closes once, and `once` wraps the listener on every request.
      if (logEnabled) res.on('close', () => logDone(req, res, state, started, out));
      return state;
    },
    run(route, req, mountPath = '') {
      try {
        return runRoute(route, req, mountPath);
      } catch (err) {
        return Promise.reject(err);
      }
    },
    unmatched: unmatchedError,
    fail(error, req) {
      const state = stateOf(req);
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
