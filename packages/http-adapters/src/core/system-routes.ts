import { type DocsOptions, docsRoute } from './docs-ui.js';
import { buildOpenApiDocument, type OpenApiOptions } from './openapi.js';
import { reply } from './reply.js';
import type { RouteDefinition } from './route.js';

/** Health, the OpenAPI document and the docs page never need credentials. */
const PUBLIC = Object.freeze({ auth: 'none' } as const);

/** A probe result as `@plinth/health` produces it (structural: no import needed). */
export interface HealthResponseLike {
  readonly httpStatus: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** What the health routes call: a `createHealth()` result fits. */
export interface HealthLike {
  live(): Promise<HealthResponseLike>;
  ready(): Promise<HealthResponseLike>;
}

const probe = (path: string, run: () => Promise<HealthResponseLike>): RouteDefinition[] =>
  [path, `${path}/`].map((p) => ({
    method: 'GET' as const,
    path: p,
    policy: PUBLIC,
    handler: async () => {
      const r = await run();
      return reply(r.httpStatus, r.body, { ...r.headers });
    },
  }));

/**
 * The routes the adapters add to the declared ones: `/health/live` and
 * `/health/ready` (trailing slash too; HEAD comes with GET) when `health` is
 * given, the OpenAPI document of the declared routes unless `openapi` is
 * `false`, and the docs page that renders it unless `docs` is `false`.
 */
export function systemRoutes(
  routes: readonly RouteDefinition[],
  health: HealthLike | undefined,
  openapi: OpenApiOptions | false | undefined,
  docs: DocsOptions | false | undefined,
): RouteDefinition[] {
  const out: RouteDefinition[] = [];
  if (health) {
    out.push(
      ...probe('/health/live', () => health.live()),
      ...probe('/health/ready', () => health.ready()),
    );
  }
  if (openapi !== false) {
    // Serialised once: every request (and both frameworks) get the same bytes.
    const document = buildOpenApiDocument(routes, openapi);
    const openapiPath = openapi?.path ?? '/openapi.json';
    out.push({ method: 'GET', path: openapiPath, policy: PUBLIC, handler: () => document });
    const title = (document.info as { title: string }).title;
    if (docs !== false) out.push({ ...docsRoute(docs ?? {}, openapiPath, title), policy: PUBLIC });
  }
  return out;
}
