// Hello route through the full @plinth/http-adapters part-1 stack (context,
// access log to a file, security headers, CORS, error handler, validation)
// against each framework's usual logging setup, both logging to a file
// (issue 14 item 8). Servers are child processes
// (packages/http-adapters/bench/server.mjs, variants in apps.mjs) driven by
// autocannon, so the load generator does not share the server's event loop.
import { rateCase } from '../../packages/http-adapters/bench/hello.mjs';

export default [
  rateCase({
    name: 'Fastify hello route, full part-1 stack',
    anchorName: 'Fastify with its logger',
    anchor: 'fastify-bare',
    subject: 'fastify-plinth',
    min: 0.8,
  }),
  rateCase({
    name: 'Express hello route, full part-1 stack',
    anchorName: 'Express + pino-http',
    anchor: 'express-pino-http',
    subject: 'express-plinth',
    min: 0.9,
  }),
  // The floor under both targets: the anchor plus the same response headers, nothing else.
  rateCase({
    name: "Fastify hello, response headers only (the stack's header set, no other work)",
    anchorName: 'Fastify with its logger',
    anchor: 'fastify-bare',
    subject: 'fastify-headers',
  }),
  rateCase({
    name: "Express hello, response headers only (the stack's header set, no other work)",
    anchorName: 'Express + pino-http',
    anchor: 'express-pino-http',
    subject: 'express-headers',
  }),
];
