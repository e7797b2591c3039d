import type { RequestContext } from '@plinth/context';
import type { ZodErrorLike } from '@plinth/errors';
import type { AuthPolicy } from '../auth/guards.js';
import type { RateLimitRoutePolicy } from '../rate-limit/options.js';
import type { DenialAuditPolicy } from './audit-denial.js';
import type { RawBody } from './raw-body.js';

/** A route's policy: the authentication and guard fields, plus whatever other pre-handlers read. */
export type RoutePolicy = AuthPolicy &
  RateLimitRoutePolicy &
  DenialAuditPolicy &
  Readonly<Record<string, unknown>>;

/** The policy a route without one is handed (pre-handlers and `atStart` always get an object). */
export const NO_POLICY: RoutePolicy = Object.freeze({});

/** HTTP methods a route may declare. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/**
 * Anything with zod's `safeParse` (zod 4 schemas fit). Structural, so the
 * published types do not depend on zod being installed.
 */
export interface SchemaLike<T = unknown> {
  safeParse(input: unknown): { success: true; data: T } | { success: false; error: ZodErrorLike };
}

/** The output type of a {@link SchemaLike}. */
export type Infer<S> = S extends SchemaLike<infer T> ? T : unknown;

/** Per-part input schemas of a route. */
export interface RouteSchema {
  params?: SchemaLike;
  query?: SchemaLike;
  headers?: SchemaLike;
  body?: SchemaLike;
}

type Part<S extends RouteSchema, K extends keyof RouteSchema, D> = S[K] extends SchemaLike
  ? Infer<S[K]>
  : D;

/** What a handler receives: parsed (validated when the route has a schema) request parts. */
export interface HandlerRequest<S extends RouteSchema = RouteSchema> {
  readonly method: string;
  /** The request target as received (path and query), for pre-handlers; log `route` instead. */
  readonly url: string;
  /** The route template (`/v1/clients/:id`), never the raw URL. */
  readonly route: string;
  readonly params: Part<S, 'params', Record<string, string>>;
  readonly query: Part<S, 'query', Record<string, string | string[]>>;
  readonly headers: Part<S, 'headers', Record<string, string | string[] | undefined>>;
  readonly body: Part<S, 'body', unknown>;
  readonly context: RequestContext;
  /** The route's policy object, for pre-handlers (authentication, guards, rate limits). */
  readonly policy: RoutePolicy;
  /** The unread body of a `body: 'stream'` route (ADR 0109); undefined on JSON routes. */
  readonly rawBody?: RawBody;
}

/** A route declared once and mounted by either adapter. */
export interface RouteDefinition<S extends RouteSchema = RouteSchema> {
  method: HttpMethod;
  /** Static segments and `:name` parameters only (`/v1/clients/:id`), so both routers match alike. */
  path: string;
  schema?: S;
  /** Maximum request body in bytes for this route; default the adapter's `bodyLimit`. */
  bodyLimit?: number;
  /**
   * `json` (default): the core reads, limits and parses a JSON body into `body`.
   * `stream`: the body is left unread and handed over as `rawBody` (an upload
   * streamed to storage), with `bodyLimit` enforced on the stream and the
   * media type checked against `mediaTypes`; `schema.body` does not apply.
   */
  body?: 'json' | 'stream';
  /** `body: 'stream'` only, and required there: the accepted media types (`application/pdf`), lower-case. */
  mediaTypes?: readonly string[];
  /**
   * Query parameters whose values are personal data (a file name, a search term):
   * the access log redacts them like parameters with a sensitive name (`token`,
   * `email`), which it does for every route. Names compare case-insensitively.
   */
  redactQuery?: readonly string[];
  /** Status of a successful response with a body; default 200 (204 when the handler returns undefined). */
  status?: number;
  /**
   * Per-route policy handed to every pre-handler: `auth`, `roles`, `scopes`, `tiers`
   * for `createJwtAuth` (ADR 0102), plus any other pre-handler's settings.
   */
  policy?: RoutePolicy;
  handler(request: HandlerRequest<S>): unknown;
}

/**
 * Declare a route with typed handler input. Returns the definition unchanged;
 * the function exists for type inference.
 *
 * @example
 * ```ts
 * import { defineRoute } from '@plinth/http-adapters';
 * import { z } from 'zod';
 *
 * export const getClient = defineRoute({
 *   method: 'GET',
 *   path: '/v1/clients/:id',
 *   schema: { params: z.object({ id: z.uuid() }) },
 *   handler: ({ params }) => ({ id: params.id }),
 * });
 * ```
 */
export function defineRoute<S extends RouteSchema = RouteSchema>(
  route: RouteDefinition<S>,
): RouteDefinition<S> {
  return route;
}
