// Every bench app, by variant name: `buildApp(variant, logFile)` resolves to
// `{ handler, listen, close }` — `handler(req, res)` is the app's Node request
// listener (for in-process cost runs), `listen()` serves it on 127.0.0.1 and
// resolves with the port. All of them answer GET /hello?name=… with
// `{"hello":"…"}` and log to `logFile` through pino (asynchronous destination).
//
// Part 1 (issue 14 item 8): the Plinth stack against each framework's usual
// logging setup. Part 2 (issue 15 item 6): the same with JWT authentication
// and rate limiting, and the stacks a team assembles by hand from the
// frameworks' own plugins with the same features.

import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import fastifyJwt from '@fastify/jwt';
import fastifyRateLimit from '@fastify/rate-limit';
import { createJwtAuth, createRateLimit, defineRoute } from '@plinth/http-adapters';
import { installPlinth } from '@plinth/http-adapters/express';
import { plinthFastify } from '@plinth/http-adapters/fastify';
import cors from 'cors';
import express from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import Fastify from 'fastify';
import helmet from 'helmet';
import { jwtVerify } from 'jose';
import pino from 'pino';
import pinoHttp from 'pino-http';
import { z } from 'zod';
import { AUDIENCE, ISSUER, KEY, SECRET } from './tokens.mjs';

export const ORIGIN = 'https://app.example.com';
/** Generous enough that no bench run is ever refused: the limiter counts, it never says no. */
const POINTS = 1_000_000_000;

const fileLogger = (file) => pino(pino.destination({ dest: file, sync: false }));

const hello = defineRoute({
  method: 'GET',
  path: '/hello',
  schema: { query: z.object({ name: z.string().max(64).optional() }) },
  handler: ({ query }) => ({ hello: query.name ?? 'world' }),
});

/** Plinth options logging to `logger`: the part-1 stack, plus JWT auth and/or rate limiting when asked. */
function plinthOptions(logger, { auth = false, limit = false } = {}) {
  return {
    routes: [hello],
    logger,
    openapi: false,
    cors: { origins: [ORIGIN] },
    ...(auth
      ? {
          preHandlers: createJwtAuth({
            issuers: [{ issuer: ISSUER, audience: AUDIENCE, keys: { secret: SECRET } }],
          }).preHandlers,
        }
      : {}),
    ...(limit ? { rateLimit: createRateLimit({ points: POINTS, durationSeconds: 60 }) } : {}),
  };
}

// The same header policy Plinth applies (core/security-headers.ts), for the hand-built stacks.
const helmetConfig = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  xXssProtection: true,
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
};

async function fastifyApp(build, options = {}) {
  const app = Fastify(options);
  await build(app);
  await app.ready();
  return {
    handler: app.routing,
    async listen() {
      await app.listen({ port: 0, host: '127.0.0.1' });
      return app.server.address().port;
    },
    close: () => app.close(),
  };
}

function expressApp(app) {
  let server;
  return {
    handler: app,
    async listen() {
      server = app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      return server.address().port;
    },
    close: () => new Promise((resolve) => (server ? server.close(() => resolve()) : resolve())),
  };
}

const fastifyPlinth = (file, extra) =>
  fastifyApp((app) => app.register(plinthFastify, plinthOptions(fileLogger(file), extra)));

function expressPlinth(file, extra) {
  return expressApp(installPlinth(express(), plinthOptions(fileLogger(file), extra)));
}

/** Fastify + its logger + @fastify/helmet, cors, jwt and rate-limit, as their READMEs show. */
function fastifyByHand(file) {
  return fastifyApp(
    async (app) => {
      await app.register(fastifyHelmet, helmetConfig);
      await app.register(fastifyCors, { origin: [ORIGIN] });
      await app.register(fastifyJwt, {
        secret: SECRET,
        verify: { allowedIss: ISSUER, allowedAud: AUDIENCE, algorithms: ['HS256'] },
      });
      app.addHook('onRequest', async (request) => {
        await request.jwtVerify();
      });
      // After authentication, so the key is the user (the plugin's README pattern).
      await app.register(fastifyRateLimit, {
        max: POINTS,
        timeWindow: 60_000,
        hook: 'preHandler',
        keyGenerator: (request) => request.user?.sub ?? request.ip,
      });
      app.get(
        '/hello',
        {
          schema: {
            querystring: {
              type: 'object',
              properties: { name: { type: 'string', maxLength: 64 } },
            },
          },
        },
        async (request) => ({ hello: request.query.name ?? 'world' }),
      );
    },
    { logger: { stream: pino.destination({ dest: file, sync: false }) } },
  );
}

/** Express + pino-http + helmet + cors + jose (HS256 verified per request) + express-rate-limit. */
function expressByHand(file) {
  const app = express();
  app.disable('x-powered-by');
  app.use(pinoHttp({ logger: fileLogger(file) }));
  app.use(helmet(helmetConfig));
  app.use(cors({ origin: [ORIGIN] }));
  app.use(async (req, res, next) => {
    const match = /^Bearer ([^\s]+)$/.exec(req.headers.authorization ?? '');
    if (!match) return void res.status(401).json({ error: 'invalid_token' });
    try {
      const { payload } = await jwtVerify(match[1], KEY, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
      });
      req.auth = payload;
      next();
    } catch {
      res.status(401).json({ error: 'invalid_token' });
    }
  });
  app.use(
    rateLimit({
      windowMs: 60_000,
      limit: POINTS,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      keyGenerator: (req) => req.auth?.sub ?? ipKeyGenerator(req.ip),
    }),
  );
  const query = z.object({ name: z.string().max(64).optional() });
  app.get('/hello', (req, res) => {
    const parsed = query.safeParse(req.query);
    if (!parsed.success) return void res.status(400).json({ errors: parsed.error.issues });
    res.json({ hello: parsed.data.name ?? 'world' });
  });
  app.use((err, _req, res, _next) => {
    res.status(err.status ?? 500).json({ error: 'internal' });
  });
  return expressApp(app);
}

/**
 * The headers the part-1 stack sends on the hello route besides the body's own (helmet's set
 * with HSTS, the CORS answer for the listed origin; the correlation id is echoed per request):
 * read once, at start-up, from the Plinth app's own answer, so the `*-headers` variants always
 * send exactly what it sends and do nothing else per request. They show in the same run what
 * this header policy alone costs a server and the load generator (autocannon parses every
 * header line in JavaScript, on the same two cores).
 */
async function plinthResponseHeaders() {
  const app = Fastify();
  await app.register(plinthFastify, plinthOptions(pino({ enabled: false })));
  const res = await app.inject({
    method: 'GET',
    url: '/hello?name=bench',
    headers: { 'x-correlation-id': 'bench-1', origin: ORIGIN },
  });
  await app.close();
  // The body's and the connection's own headers, and the id each variant echoes itself.
  const skip = new Set([
    'content-type',
    'content-length',
    'date',
    'connection',
    'keep-alive',
    'x-correlation-id',
  ]);
  const out = {};
  for (const [name, value] of Object.entries(res.headers))
    if (!skip.has(name)) out[name] = String(value);
  return out;
}

const VARIANTS = {
  // Anchors: each framework with its usual request logging, to a file.
  'fastify-bare': (file) =>
    fastifyApp((app) => app.get('/hello', async (req) => ({ hello: req.query.name ?? 'world' })), {
      logger: { stream: pino.destination({ dest: file, sync: false }) },
    }),
  'express-pino-http': (file) => {
    const app = express();
    app.use(pinoHttp({ logger: fileLogger(file) }));
    app.get('/hello', (req, res) => res.json({ hello: req.query.name ?? 'world' }));
    return expressApp(app);
  },
  // Each anchor plus the part-1 stack's response headers, and nothing else (reported: the floor).
  'fastify-headers': async (file) => {
    const headers = await plinthResponseHeaders();
    return fastifyApp(
      (app) => {
        app.addHook('onRequest', (req, reply, done) => {
          reply.headers(headers);
          reply.header('x-correlation-id', req.headers['x-correlation-id']);
          done();
        });
        app.get('/hello', async (req) => ({ hello: req.query.name ?? 'world' }));
      },
      { logger: { stream: pino.destination({ dest: file, sync: false }) } },
    );
  },
  'express-headers': async (file) => {
    const headers = await plinthResponseHeaders();
    const app = express();
    // As on Plinth's responses: no X-Powered-By, no ETag.
    app.disable('x-powered-by');
    app.set('etag', false);
    app.use(pinoHttp({ logger: fileLogger(file) }));
    app.use((req, res, next) => {
      for (const name in headers) res.setHeader(name, headers[name]);
      res.setHeader('x-correlation-id', req.headers['x-correlation-id']);
      next();
    });
    app.get('/hello', (req, res) => res.json({ hello: req.query.name ?? 'world' }));
    return expressApp(app);
  },
  // Plinth: part 1 (context, access log, security headers, CORS, errors, validation) ...
  'fastify-plinth': (file) => fastifyPlinth(file),
  'express-plinth': (file) => expressPlinth(file),
  // ... with JWT authentication (verified-token cache on, the default) ...
  'fastify-plinth-auth': (file) => fastifyPlinth(file, { auth: true }),
  'express-plinth-auth': (file) => expressPlinth(file, { auth: true }),
  // ... and with authentication and rate limiting (memory store): the full stack.
  'fastify-plinth-full': (file) => fastifyPlinth(file, { auth: true, limit: true }),
  'express-plinth-full': (file) => expressPlinth(file, { auth: true, limit: true }),
  // The same features from each framework's usual plugins.
  'fastify-by-hand': fastifyByHand,
  'express-by-hand': expressByHand,
};

/** Variant names `buildApp` knows. */
export const variants = Object.keys(VARIANTS);

/** Build one bench app (not listening yet). */
export async function buildApp(variant, logFile) {
  const build = VARIANTS[variant];
  if (!build) throw new Error(`unknown bench variant ${variant}; one of ${variants.join(', ')}`);
  return build(logFile);
}
