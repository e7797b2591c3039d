import { randomBytes, randomUUID } from 'node:crypto';
import { createRequestContext, runWithContext } from '@plinth/context';
import { createDatabase, type Database, sql } from '@plinth/db-repository';
import { isReply, type RawBody, type Reply, type RouteDefinition } from '@plinth/http-adapters';
import { createLogger } from '@plinth/logging';
import { type ClientsApp, createClientsApp } from '../src/app.js';
import { type ClientsConfig, loadClientsConfig } from '../src/config.js';

export const key = () => randomBytes(32).toString('base64');

/** The variables every test configuration needs. */
export const testEnv = () => ({
  NODE_ENV: 'test',
  ENCRYPTION_KEYS: `k1:${key()}`,
  BLIND_INDEX_KEY: key(),
  AUTH_JWT_SECRET: 'a-test-secret-of-at-least-32-bytes!!',
  LOG_LEVEL: 'silent',
});

/** A fresh schema on the test server, and a DATABASE_URL whose sessions use it. */
export async function freshSchema(base: string): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `clients_core_${randomBytes(6).toString('hex')}`;
  const admin = createDatabase({ connectionString: base });
  await admin.query(sql`CREATE SCHEMA ${sql.identifier(schema)}`);
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    async drop() {
      await admin.query(sql`DROP SCHEMA ${sql.identifier(schema)} CASCADE`);
      await admin.close();
    },
  };
}

export interface TestApp {
  readonly app: ClientsApp;
  readonly config: ClientsConfig;
  readonly db: Database;
  close(): Promise<void>;
}

/** The whole app on a fresh schema, migrated at start. */
export async function startTestApp(base: string): Promise<TestApp> {
  const schema = await freshSchema(base);
  const config = await loadClientsConfig({
    env: { ...testEnv(), DATABASE_URL: schema.url, MIGRATE_ON_START: 'true' },
    files: false,
  });
  const app = createClientsApp(config, { logger: createLogger({ level: 'silent' }) });
  await app.start();
  return {
    app,
    config,
    db: app.deps.db,
    async close() {
      await app.close();
      await schema.drop();
    },
  };
}

/** A staff member (or end client) of a tenant, as JWT auth would put them in the context. */
export interface Caller {
  tenantId: string;
  id?: string;
  roles: string[];
}

export const newTenant = (): string => randomUUID();

interface Parts {
  params?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
  /** The unread body of a `body: 'stream'` route. */
  rawBody?: RawBody;
  /** The client address, as the adapter puts it in the context (the login throttle keys by it). */
  ip?: string;
}

/**
 * Runs a route the way the adapters do after authentication: each part
 * through the route's schema (a failure throws the zod error's first issue),
 * then the handler in the caller's request context.
 */
export async function call(
  routes: readonly RouteDefinition[],
  method: string,
  path: string,
  caller: Caller | null,
  parts: Parts = {},
): Promise<Reply> {
  const route = routes.find((r) => r.method === method && r.path === path);
  if (!route) throw new Error(`no route ${method} ${path}`);
  const { rawBody, ip, ...rest } = parts;
  const raw = { params: {}, query: {}, headers: {}, body: undefined, ...rest };
  const parsed: Record<string, unknown> = { ...raw };
  for (const part of ['params', 'query', 'headers', 'body'] as const) {
    const schema = route.schema?.[part];
    if (!schema) continue;
    const result = schema.safeParse(raw[part]);
    if (!result.success) throw Object.assign(new Error('invalid request'), { status: 400, part });
    parsed[part] = result.data;
  }
  // `null`: a public route (`auth: 'none'`), no tenant and no principal.
  const context = createRequestContext({
    ...(caller
      ? {
          tenantId: caller.tenantId,
          principal: { id: caller.id ?? randomUUID(), type: 'user', roles: caller.roles },
        }
      : {}),
    ...(ip === undefined ? {} : { ip }),
    operation: `${method} ${path}`,
  });
  const result = await runWithContext(context, () =>
    route.handler({
      method,
      url: path,
      route: path,
      ...(parsed as Required<Parts>),
      context,
      policy: route.policy ?? {},
      ...(rawBody ? { rawBody } : {}),
    }),
  );
  if (!isReply(result)) throw new Error('the clients routes answer with reply()');
  return result;
}

/** A logger whose lines are kept, parsed. */
export function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: 'info',
    destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
  });
  return { logger, lines };
}
