import type { AuditWriter } from '@plinth/audit';
import { defineRoute, type RouteDefinition, reply } from '@plinth/http-adapters';
import type { ClientRepository } from '../clients/repository.js';
import { toClientJson } from '../clients/routes.js';
import { AuthErrors } from './errors.js';
import { clientTiers, selfOf } from './tiers.js';

/**
 * `GET /v1/me`: an end client's own record, from verification level 1.
 * (`GET /v1/me/documents`, level 2, belongs to the documents feature.)
 *
 * @example
 * ```ts
 * const routes = meRoutes(createClientRepository(db, fields, emailIndex), audit.writer);
 * ```
 */
export function meRoutes(clients: ClientRepository, audit: AuditWriter): RouteDefinition[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/v1/me',
      policy: clientTiers.profile,
      handler: async ({ context }) => {
        const self = selfOf(context);
        const client = await clients.findById(self.tenantId, self.clientId);
        if (!client) throw new AuthErrors.ME_NOT_FOUND();
        await audit.record({
          action: 'client.read',
          outcome: 'success',
          resource: { type: 'client', id: client.id },
          metadata: { self: true },
        });
        return reply(200, toClientJson(client), { 'cache-control': 'no-store' });
      },
    }),
  ];
}
