import { getContext } from '@plinth/context';
import { ConflictError, RateLimitError } from '@plinth/errors';
import { z } from 'zod';
import { defineRoute, reply } from '../../src/index.js';

/** The routes every contract case runs against, on both frameworks. */
export const contractRoutes = [
  defineRoute({ method: 'GET', path: '/hello', handler: () => ({ hello: 'world' }) }),
  defineRoute({
    method: 'GET',
    path: '/v1/items/:id',
    schema: { params: z.object({ id: z.string().regex(/^[a-z0-9-]{1,36}$/) }) },
    handler: ({ params }) => ({ id: params.id }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/items',
    status: 201,
    schema: {
      body: z.object({ name: z.string().min(1), qty: z.number().int().positive() }).strict(),
      query: z.object({ dryRun: z.enum(['true', 'false']).optional() }),
    },
    handler: ({ body }) => ({ name: body.name, qty: body.qty }),
  }),
  defineRoute({ method: 'DELETE', path: '/v1/items/:id', handler: () => undefined }),
  defineRoute({
    method: 'POST',
    path: '/echo',
    handler: ({ body }) => {
      const merged = Object.assign({}, body);
      return {
        keys: Object.keys(merged),
        polluted: ({} as Record<string, unknown>).polluted ?? null,
      };
    },
  }),
  defineRoute({ method: 'POST', path: '/small', bodyLimit: 16, handler: ({ body }) => ({ body }) }),
  defineRoute({
    method: 'GET',
    path: '/boom',
    handler: () => {
      throw new Error('db failed: password=hunter2');
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/conflict',
    handler: () => {
      throw new ConflictError('That name is taken');
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/limited',
    handler: () => {
      throw new RateLimitError(undefined, { retryAfterSeconds: 30 });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/ctx',
    handler: ({ context }) => ({
      correlationId: context.correlationId,
      ambient: getContext()?.correlationId ?? null,
      operation: getContext()?.operation ?? null,
    }),
  }),
  defineRoute({
    method: 'GET',
    path: '/created',
    handler: () => reply(201, { ok: true }, { location: '/v1/items/x' }),
  }),
];
