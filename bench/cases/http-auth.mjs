// Part 2 of @plinth/http-adapters (issue 15 item 6): the hello route with JWT
// authentication (HS256, verified-token cache on, as by default) and rate
// limiting (memory store), and the stacks a team assembles by hand today from
// each framework's own plugins with the same features (helmet, CORS, rate
// limit, JWT verified on every request). Every server logs to a file. Both
// sides of a case get the same requests (the anchor ignores the bearer token),
// so response parsing in the load generator weighs alike.
import { rateCase } from '../../packages/http-adapters/bench/hello.mjs';
import { signTokens } from '../../packages/http-adapters/bench/tokens.mjs';

// More distinct tokens than the verified-token cache holds (10,000 by default),
// rotated in order: every request is a cache miss, so every one is verified.
const DISTINCT_TOKENS = 20_000;

const oneToken = async () => ({ authorization: `Bearer ${(await signTokens(1))[0]}` });
const manyTokens = async () => ({ tokens: await signTokens(DISTINCT_TOKENS) });

const frameworks = [
  {
    name: 'Fastify',
    id: 'fastify',
    logged: 'Fastify with its logger',
    bare: 'fastify-bare',
    full: 0.7,
  },
  {
    name: 'Express',
    id: 'express',
    logged: 'Express + pino-http',
    bare: 'express-pino-http',
    full: 0.8,
  },
];

export default frameworks.flatMap((f) => [
  rateCase({
    name: `${f.name} authenticated hello, same token repeated (verified-token cache)`,
    anchorName: 'same route without auth',
    anchor: `${f.id}-plinth`,
    subject: `${f.id}-plinth-auth`,
    min: 0.9,
    prepare: oneToken,
  }),
  rateCase({
    name: `${f.name} authenticated hello, ${DISTINCT_TOKENS} distinct tokens (cache misses)`,
    anchorName: 'same route without auth',
    anchor: `${f.id}-plinth`,
    subject: `${f.id}-plinth-auth`,
    prepare: manyTokens,
  }),
  rateCase({
    name: `${f.name} hello, full stack incl. JWT auth and rate limiting (memory)`,
    anchorName: f.logged,
    anchor: f.bare,
    subject: `${f.id}-plinth-full`,
    min: f.full,
    prepare: oneToken,
  }),
  rateCase({
    name: `${f.name} hello, stack assembled by hand (${f.id === 'fastify' ? '@fastify/helmet, cors, rate-limit, jwt' : 'helmet, cors, express-rate-limit, jose'})`,
    anchorName: f.logged,
    anchor: f.bare,
    subject: `${f.id}-by-hand`,
    prepare: oneToken,
  }),
  rateCase({
    name: `${f.name} hello, Plinth full stack against the hand-assembled one`,
    anchorName: `${f.name} stack assembled by hand`,
    anchor: `${f.id}-by-hand`,
    subject: `${f.id}-plinth-full`,
    prepare: oneToken,
  }),
]);
