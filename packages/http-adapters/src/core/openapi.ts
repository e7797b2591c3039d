import { invalidOptions, requireOptionsObject } from '@plinth/errors';
import type { RouteDefinition } from './route.js';

/** The Standard JSON Schema converter zod 4 schemas carry (`schema['~standard'].jsonSchema`). */
interface JsonSchemaSource {
  '~standard'?: { jsonSchema?: { input(o: { target: string }): Record<string, unknown> } };
}

/** OpenAPI document settings. */
export interface OpenApiOptions {
  /** Default `{ title: 'API', version: '1.0.0' }`. */
  info?: { title: string; version: string; description?: string };
  /** Where the document is served. Default `/openapi.json`. */
  path?: string;
}

type Json = Record<string, unknown>;

const PROBLEM = {
  description: 'Problem details (RFC 9457)',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};

const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code', 'errorId', 'timestamp'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    code: { type: 'string' },
    errorId: { type: 'string' },
    correlationId: { type: 'string' },
    timestamp: { type: 'string', format: 'date-time' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message', 'code'],
        properties: {
          path: { type: 'string' },
          message: { type: 'string' },
          code: { type: 'string' },
        },
      },
    },
  },
};

/** JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) of a schema's input, without `$schema`. */
function jsonSchemaOf(schema: unknown): Json | undefined {
  const convert = (schema as JsonSchemaSource | undefined)?.['~standard']?.jsonSchema;
  if (!convert) return undefined;
  const { $schema: _drop, ...rest } = convert.input({ target: 'draft-2020-12' });
  return rest;
}

function parameters(route: RouteDefinition): Json[] {
  const out: Json[] = [];
  const names = route.path
    .split('/')
    .filter((s) => s.startsWith(':'))
    .map((s) => s.slice(1));
  const pathProps = (jsonSchemaOf(route.schema?.params)?.properties ?? {}) as Record<string, Json>;
  for (const name of names)
    out.push({ name, in: 'path', required: true, schema: pathProps[name] ?? { type: 'string' } });
  for (const where of ['query', 'headers'] as const) {
    const s = jsonSchemaOf(route.schema?.[where]);
    const required = new Set((s?.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries((s?.properties ?? {}) as Record<string, Json>)) {
      out.push({
        name,
        in: where === 'query' ? 'query' : 'header',
        required: required.has(name),
        schema,
      });
    }
  }
  return out;
}

/** `security` of a route whose policy asks for credentials, with its guards as `x-` members. */
function security(route: RouteDefinition): Json {
  const p = route.policy ?? {};
  const guarded = p.roles || p.scopes || p.tiers;
  if (p.auth === 'none' || (p.auth === undefined && !guarded)) return {};
  return {
    security: [
      ...(p.auth === 'optional' && !guarded ? [{}] : []),
      { bearerAuth: [...(p.scopes ?? [])] },
    ],
    ...(p.roles ? { 'x-roles': [...p.roles] } : {}),
    ...(p.tiers ? { 'x-claim-tiers': { ...p.tiers } } : {}),
  };
}

/** A stream route's body: raw bytes of each accepted media type (OpenAPI 3.1 binary content). */
const rawRequestBody = (types: readonly string[]) => ({
  required: true,
  content: Object.fromEntries(types.map((t) => [t, {}])),
});

function operation(route: RouteDefinition): Json {
  const body = jsonSchemaOf(route.schema?.body);
  const status = String(route.status ?? 200);
  const params = parameters(route);
  return {
    ...security(route),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(body
      ? { requestBody: { required: true, content: { 'application/json': { schema: body } } } }
      : {}),
    ...(route.body === 'stream' ? { requestBody: rawRequestBody(route.mediaTypes ?? []) } : {}),
    responses: { [status]: { description: 'Success' }, default: PROBLEM },
  };
}

/**
 * Build one OpenAPI 3.1 document from route declarations: paths with
 * `{param}` templates, parameters and request bodies from each route's zod
 * schemas (zod 4's JSON Schema output, draft 2020-12), and the problem+json
 * error response. The same routes always give the same document, whichever
 * framework serves it.
 *
 * @example
 * ```ts
 * import { buildOpenApiDocument } from '@plinth/http-adapters';
 *
 * const doc = buildOpenApiDocument(routes, { info: { title: 'Clients', version: '1.2.0' } });
 * ```
 */
export function buildOpenApiDocument(
  routes: readonly RouteDefinition[],
  options: OpenApiOptions = {},
): Json {
  if (!Array.isArray(routes))
    throw invalidOptions('http-adapters openapi', {
      path: 'routes',
      message: 'must be a list of routes (defineRoute)',
    });
  requireOptionsObject(options, 'http-adapters openapi');
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const key = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    paths[key] = { ...paths[key], [route.method.toLowerCase()]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: options.info ?? { title: 'API', version: '1.0.0' },
    paths,
    components: {
      schemas: { Problem: PROBLEM_SCHEMA },
      ...(Object.values(paths).some((ops) =>
        Object.values(ops).some((op) => 'security' in (op as Json)),
      )
        ? {
            securitySchemes: {
              bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
            },
          }
        : {}),
    },
  };
}
