import { randomUUID } from 'node:crypto';
import type { AuditWriter } from '@plinth/audit';
import type { Caller } from '../http/tenant.js';
import { type ClientCursor, decodeCursor, encodeCursor } from './cursor.js';
import { ClientErrors } from './errors.js';
import type { IfMatch } from './etag.js';
import type { Client, ClientChanges, ClientRepository } from './repository.js';
import type { CreateClientInput, ListClientsQuery, PatchClientInput } from './schemas.js';

/** One page of clients. */
export interface ClientPage {
  readonly items: Client[];
  readonly nextCursor: string | null;
}

/**
 * The rules of the clients registry. Every method is scoped to the caller's
 * tenant (another tenant's client is simply not found), records its audit
 * event, and runs inside whatever transaction the route opened: services
 * write, the route boundary commits.
 */
export interface ClientService {
  create(caller: Caller, input: CreateClientInput): Promise<Client>;
  get(caller: Caller, id: string): Promise<Client>;
  list(caller: Caller, query: ListClientsQuery): Promise<ClientPage>;
  update(caller: Caller, id: string, patch: PatchClientInput, ifMatch: IfMatch): Promise<Client>;
  remove(caller: Caller, id: string, ifMatch: IfMatch | undefined): Promise<void>;
}

const resource = (id: string) => ({ type: 'client', id });

/**
 * @example
 * ```ts
 * const clients = createClientService(createClientRepository(db, fields, emailIndex), audit.writer);
 * ```
 */
export function createClientService(repo: ClientRepository, audit: AuditWriter): ClientService {
  /** 404 when the client is not in the tenant, else 412: it exists, at another version. */
  async function refuseCondition(caller: Caller, id: string): Promise<never> {
    const version = await repo.versionOf(caller.tenantId, id);
    if (version === null) throw new ClientErrors.CLIENT_NOT_FOUND();
    throw new ClientErrors.PRECONDITION_FAILED(undefined, { details: { currentVersion: version } });
  }

  return {
    async create(caller, input) {
      const client = await repo.insert(caller.tenantId, {
        id: randomUUID(),
        name: input.name,
        email: input.email,
        phone: input.phone ?? null,
      });
      if (!client) throw new ClientErrors.CLIENT_EMAIL_EXISTS();
      await audit.record({
        action: 'client.created',
        outcome: 'success',
        resource: resource(client.id),
      });
      return client;
    },

    async get(caller, id) {
      const client = await repo.findById(caller.tenantId, id);
      if (!client) throw new ClientErrors.CLIENT_NOT_FOUND();
      await audit.record({ action: 'client.read', outcome: 'success', resource: resource(id) });
      return client;
    },

    async list(caller, query) {
      if (query.email !== undefined) {
        const client = await repo.findByEmail(caller.tenantId, query.email);
        // A miss is recorded too: it still tells the caller who is not a client.
        await audit.record({
          action: 'client.looked_up',
          outcome: 'success',
          resource: client ? resource(client.id) : null,
          metadata: { by: 'email', found: client !== null },
        });
        return { items: client ? [client] : [], nextCursor: null };
      }
      const after: ClientCursor | undefined =
        query.cursor === undefined ? undefined : decodeCursor(query.cursor);
      // One extra row tells whether another page follows.
      const rows = await repo.list(caller.tenantId, query.limit + 1, after);
      const items = rows.slice(0, query.limit);
      const last = items.at(-1);
      await Promise.all(
        items.map((c) =>
          audit.record({ action: 'client.listed', outcome: 'success', resource: resource(c.id) }),
        ),
      );
      return {
        items,
        nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
      };
    },

    async update(caller, id, patch, ifMatch) {
      const changes: ClientChanges = patch;
      const versions = ifMatch.any ? undefined : ifMatch.versions;
      const client = await repo.update(caller.tenantId, id, changes, versions);
      if (!client) return refuseCondition(caller, id);
      await audit.record({
        action: 'client.updated',
        outcome: 'success',
        resource: resource(id),
        // Which fields changed, never their values.
        metadata: { fields: Object.keys(patch).sort(), version: client.version },
      });
      return client;
    },

    async remove(caller, id, ifMatch) {
      const versions = ifMatch === undefined || ifMatch.any ? undefined : ifMatch.versions;
      const deleted = await repo.delete(caller.tenantId, id, versions);
      if (!deleted) return refuseCondition(caller, id);
      await audit.record({ action: 'client.deleted', outcome: 'success', resource: resource(id) });
    },
  };
}
