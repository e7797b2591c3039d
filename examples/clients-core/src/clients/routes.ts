import type { Database } from '@plinth/db-repository';
import { defineRoute, type RouteDefinition, reply } from '@plinth/http-adapters';
import { forResource, policies } from '../http/policies.js';
import { callerOf } from '../http/tenant.js';
import { inTransaction } from '../http/transaction.js';
import { etagOf, parseIfMatch } from './etag.js';
import type { Client } from './repository.js';
import {
  type ClientJson,
  clientParams,
  createClientBody,
  ifMatchHeaders,
  listClientsQuery,
  patchClientBody,
} from './schemas.js';
import type { ClientService } from './service.js';

/** Exactly the Client JSON of the contract; nothing else leaves the service. */
export const toClientJson = (c: Client): ClientJson => ({
  id: c.id,
  name: c.name,
  email: c.email,
  phone: c.phone,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
  version: c.version,
});

/** Personal data: never stored by a shared cache. */
const headersFor = (c: Client) => ({ etag: etagOf(c.version), 'cache-control': 'no-store' });

/**
 * The `/v1/clients` routes. Reads need `viewer`, writes `staff`, deletes
 * `admin` (each higher role included); every mutation runs in one
 * transaction opened and committed here, at the boundary.
 *
 * @example
 * ```ts
 * const routes = clientRoutes(createClientService(repository, audit.writer), db);
 * ```
 */
export function clientRoutes(clients: ClientService, db: Database): RouteDefinition[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/v1/clients',
      status: 201,
      schema: { body: createClientBody },
      policy: policies.write,
      handler: inTransaction(db, async ({ body, context }) => {
        const client = await clients.create(callerOf(context), body);
        return reply(201, toClientJson(client), {
          ...headersFor(client),
          location: `/v1/clients/${client.id}`,
        });
      }),
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/clients',
      schema: { query: listClientsQuery },
      policy: policies.read,
      handler: async ({ query, context }) => {
        const page = await clients.list(callerOf(context), query);
        return reply(
          200,
          { items: page.items.map(toClientJson), nextCursor: page.nextCursor },
          { 'cache-control': 'no-store' },
        );
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/clients/:id',
      schema: { params: clientParams },
      policy: forResource(policies.read, 'client'),
      handler: async ({ params, context }) => {
        const client = await clients.get(callerOf(context), params.id);
        return reply(200, toClientJson(client), headersFor(client));
      },
    }),
    defineRoute({
      method: 'PATCH',
      path: '/v1/clients/:id',
      schema: { params: clientParams, headers: ifMatchHeaders, body: patchClientBody },
      policy: forResource(policies.write, 'client'),
      handler: inTransaction(db, async ({ params, headers, body, context }) => {
        const condition = parseIfMatch(headers['if-match']);
        const client = await clients.update(callerOf(context), params.id, body, condition);
        return reply(200, toClientJson(client), headersFor(client));
      }),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/v1/clients/:id',
      status: 204,
      schema: { params: clientParams, headers: ifMatchHeaders },
      policy: forResource(policies.admin, 'client'),
      handler: inTransaction(db, async ({ params, headers, context }) => {
        // If-Match is optional here: a delete needs no merge, but a client may still guard it.
        const ifMatch = headers['if-match'];
        const condition = ifMatch === undefined ? undefined : parseIfMatch(ifMatch);
        await clients.remove(callerOf(context), params.id, condition);
        return reply(204);
      }),
    }),
  ];
}
