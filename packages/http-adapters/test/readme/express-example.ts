import { clientErrorHandler, defineRoute } from '@plinth/http-adapters';
import { installPlinth } from '@plinth/http-adapters/express';
import express from 'express';
import { z } from 'zod';

const getClient = defineRoute({
  method: 'GET',
  path: '/v1/clients/:id',
  schema: { params: z.object({ id: z.uuid() }) },
  handler: ({ params }) => ({ id: params.id, name: 'Ada' }),
});

const app = installPlinth(express(), {
  routes: [getClient],
  cors: { origins: ['https://app.example.com'] },
  openapi: { info: { title: 'Clients', version: '1.0.0' } },
});
export const server = app.listen(Number(process.env.PORT ?? 3000));
server.on('clientError', clientErrorHandler);
