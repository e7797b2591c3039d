import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { defineRoute, type HandlerRequest, type RoutePolicy } from '../../src/index.js';

describe('route types', () => {
  it('infers handler input from the route schemas', () => {
    defineRoute({
      method: 'POST',
      path: '/v1/items/:id',
      schema: {
        params: z.object({ id: z.uuid() }),
        query: z.object({ limit: z.coerce.number().optional() }),
        body: z.object({ name: z.string(), tags: z.array(z.string()) }),
      },
      handler: (req) => {
        expectTypeOf(req.params).toEqualTypeOf<{ id: string }>();
        expectTypeOf(req.query).toEqualTypeOf<{ limit?: number | undefined }>();
        expectTypeOf(req.body).toEqualTypeOf<{ name: string; tags: string[] }>();
        return undefined;
      },
    });
  });

  it('falls back to raw shapes for parts without a schema', () => {
    expectTypeOf<HandlerRequest['params']>().toEqualTypeOf<Record<string, string>>();
    expectTypeOf<HandlerRequest['query']>().toEqualTypeOf<Record<string, string | string[]>>();
    expectTypeOf<HandlerRequest['body']>().toBeUnknown();
  });

  it('types the auth fields of a route policy and keeps room for other pre-handlers', () => {
    defineRoute({
      method: 'GET',
      path: '/x',
      policy: {
        roles: ['admin'],
        tiers: { verification_level: 2 },
        rateLimit: 'login',
        cacheTtl: 5,
      },
      handler: () => undefined,
    });
    const wrongRoles: RoutePolicy = {
      // @ts-expect-error roles is a list of role names
      roles: 'admin',
    };
    const wrongAuth: RoutePolicy = {
      // @ts-expect-error auth is required, optional or none
      auth: 'maybe',
    };
    expectTypeOf(wrongRoles).toEqualTypeOf<RoutePolicy>();
    expectTypeOf(wrongAuth).toEqualTypeOf<RoutePolicy>();
  });
});
