import { clientErrorHandler, defineRoute } from '@plinth/http-adapters';
import { plinthFastify, plinthFrameworkErrors } from '@plinth/http-adapters/fastify';
import Fastify from 'fastify';
import { z } from 'zod';

const getClient = defineRoute({
  method: 'GET',
  path: '/v1/clients/:id',
  schema: { params: z.object({ id: z.uuid() }) },
  handler: ({ params }) => ({ id: params.id, name: 'Ada' }),
});

export const app = Fastify({ clientErrorHandler, frameworkErrors: plinthFrameworkErrors });
await app.register(plinthFastify, {
  routes: [getClient],
  cors: { origins: ['https://app.example.com'] },
  openapi: { info: { title: 'Clients', version: '1.0.0' } },
});
await app.listen({ port: Number(process.env.PORT ?? 3000) });
