export type { AccessEvent, AccessLogLevel, AccessLogOptions } from './core/access-log.js';
export { accessLogRecord, redactUrl } from './core/access-log.js';
export type { BodyStreamLike } from './core/body.js';
export { DEFAULT_BODY_LIMIT, readJsonBody } from './core/body.js';
export type { SocketLike } from './core/client-error.js';
export { clientErrorHandler } from './core/client-error.js';
export type {
  HttpCore,
  RawResponseLike,
  RequestState,
  ResponseHeadersLike,
} from './core/core-types.js';
export { createHttpCore } from './core/core.js';
export type { CorsDecision, CorsOptions, CorsPolicy } from './core/cors.js';
export type { DocsOptions } from './core/docs-ui.js';
export { createCorsPolicy } from './core/cors.js';
export { MAX_JSON_DEPTH, parseJsonBody } from './core/json.js';
export type {
  HstsOptions,
  HttpAdapterOptions,
  PreHandler,
  PreHandlerResult,
  StartIdentity,
  StartRequest,
} from './core/options.js';
export type { OpenApiOptions } from './core/openapi.js';
export { buildOpenApiDocument } from './core/openapi.js';
export type { ProblemRenderOptions } from './core/problem.js';
export { problemResponse } from './core/problem.js';
export type { RawBody } from './core/raw-body.js';
export type { Reply } from './core/reply.js';
export { isReply, reply, streamReply } from './core/reply.js';
export type { ErrorReporter } from './core/reporter.js';
export { reportError } from './core/reporter.js';
export type { HttpResponse } from './core/response.js';
export type {
  HandlerRequest,
  HttpMethod,
  Infer,
  RouteDefinition,
  RoutePolicy,
  RouteSchema,
  SchemaLike,
} from './core/route.js';
export { defineRoute } from './core/route.js';
export type { RawRequestLike } from './core/start.js';
export type { HealthLike, HealthResponseLike } from './core/system-routes.js';
export { requestContextFor } from './core/start.js';
export type { TokenRefusal } from './auth/auth-errors.js';
export { TOKEN_INVALID, TOKEN_MISSING } from './auth/auth-errors.js';
export type { ClaimMapping } from './auth/claims.js';
export type { AuthPolicy } from './auth/guards.js';
export type { JwtAuth, JwtAuthOptions, JwtIssuerOptions } from './auth/jwt-auth.js';
export { createJwtAuth } from './auth/jwt-auth.js';
export type { KeySourceInput, PublicKeyInput, RemoteJwksInput } from './auth/key-source.js';
export type { TokenCacheOptions } from './auth/token-cache.js';
export type { LoginIdentity, LoginThrottle, LoginVerifier } from './auth/login-throttle.js';
export { createLoginThrottle } from './auth/login-throttle.js';
export type {
  LoginAuditEvent,
  LoginAuditWriterLike,
  LoginLockScope,
} from './auth/login-throttle-audit.js';
export { LOGIN_FAILED, LOGIN_LOCKED } from './auth/login-throttle-errors.js';
export type { LoginThrottleOptions } from './auth/login-throttle-options.js';
export { LOGIN_THROTTLE_DEFAULTS } from './auth/login-throttle-options.js';
export type { AuditEventLike, AuditWriterLike, DenialAuditPolicy } from './core/audit-denial.js';
export type {
  RateLimitOptions,
  RateLimitPolicy,
  RateLimitRedisLike,
  RateLimitRoutePolicy,
} from './rate-limit/options.js';
export type { LimitedState, RateLimit, RouteLimit } from './rate-limit/rate-limit.js';
export { createRateLimit } from './rate-limit/rate-limit.js';
