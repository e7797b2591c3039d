// Hello route through the full @plinth/http-adapters part-1 stack (context,
// access log to a file, security headers, CORS, error handler, validation)
// against each framework's usual logging setup, both logging to a file.
// Servers are child processes (packages/http-adapters/bench/server.mjs) driven
// by autocannon, so the load generator does not share the server's event loop.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load, startServer } from '../../packages/http-adapters/bench/hello.mjs';

function rateCase(name, anchorName, anchorVariant, subjectVariant, min) {
  return {
    name,
    anchorName,
    metric: 'rate',
    unit: 'req/s',
    target: { min },
    async setup() {
      const dir = mkdtempSync(join(tmpdir(), 'plinth-bench-http-'));
      const anchor = await startServer(anchorVariant, join(dir, 'anchor.log'));
      const subject = await startServer(subjectVariant, join(dir, 'subject.log'));
      return {
        anchor: (ms) => load(anchor.port, Math.max(1, Math.round(ms / 1000))),
        subject: (ms) => load(subject.port, Math.max(1, Math.round(ms / 1000))),
        async teardown() {
          anchor.child.kill();
          subject.child.kill();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  };
}

export default [
  rateCase(
    'Fastify hello route, full part-1 stack',
    'Fastify with its logger',
    'fastify-bare',
    'fastify-plinth',
    0.8,
  ),
  rateCase(
    'Express hello route, full part-1 stack',
    'Express + pino-http',
    'express-pino-http',
    'express-plinth',
    0.9,
  ),
];
