// One server per process: `node server.mjs <variant> <logFile>`; prints its port when listening.

import { defineRoute } from '@plinth/http-adapters';
import { installPlinth } from '@plinth/http-adapters/express';
import { plinthFastify } from '@plinth/http-adapters/fastify';
import express from 'express';
import Fastify from 'fastify';
import pino from 'pino';
import pinoHttp from 'pino-http';
import { z } from 'zod';

const [variant, file] = process.argv.slice(2);
const logger = pino(pino.destination({ dest: file, sync: false }));
const hello = defineRoute({
  method: 'GET',
  path: '/hello',
  schema: { query: z.object({ name: z.string().max(64).optional() }) },
  handler: ({ query }) => ({ hello: query.name ?? 'world' }),
});
const options = {
  routes: [hello],
  logger,
  openapi: false,
  cors: { origins: ['https://app.example.com'] },
};

async function start() {
  if (variant === 'fastify-bare') {
    const app = Fastify({ logger: { stream: pino.destination({ dest: file, sync: false }) } });
    app.get('/hello', async (req) => ({ hello: req.query.name ?? 'world' }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    return app.server.address().port;
  }
  if (variant === 'fastify-plinth') {
    const app = Fastify();
    await app.register(plinthFastify, options);
    await app.listen({ port: 0, host: '127.0.0.1' });
    return app.server.address().port;
  }
  const app = express();
  if (variant === 'express-pino-http') {
    app.use(pinoHttp({ logger }));
    app.get('/hello', (req, res) => res.json({ hello: req.query.name ?? 'world' }));
  } else {
    installPlinth(app, options);
  }
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return server.address().port;
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
process.stdout.write(`${await start()}\n`);
