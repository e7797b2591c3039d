import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { defineRoute, type HandlerRequest } from '../../src/index.js';

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
});
