#!/usr/bin/env node
// Hello-route throughput: Plinth's full part-1 stack against each framework's
// usual logging setup, both logging to a file. Rounds alternate anchor and
// subject (ABBA) so load from other processes hits both alike; the ratio is
// the median of per-pair ratios. Usage: node bench/hello.mjs [--seconds 3] [--pairs 4]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const SECONDS = arg('seconds', 3);
const PAIRS = arg('pairs', 4);
const serverScript = fileURLToPath(new URL('./server.mjs', import.meta.url));

/**
 * Starts one bench server variant as a child process logging to `logFile`, with `env` added to
 * this process's environment; resolves with the child and its port.
 */
export function startServer(variant, logFile, env = {}) {
  const child = spawn(process.execPath, [serverScript, variant, logFile], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  return new Promise((resolve, reject) => {
    child.stdout.once('data', (d) => resolve({ child, port: Number(String(d).trim()) }));
    child.once('exit', (code) => reject(new Error(`${variant} exited with ${code}`)));
  });
}

/**
 * autocannon's result for the hello route loaded for `seconds` (50
 * connections, loopback). `authorization` sends one fixed header value;
 * `tokens` sends `Bearer <token>` rotating through the list across all
 * connections, so consecutive requests never repeat a token. Any non-2xx
 * answer or socket error fails the run: a bench that measures 401s or 429s
 * measures nothing.
 */
export async function loadResult(port, seconds, { authorization, tokens } = {}) {
  const headers = { 'x-correlation-id': 'bench-1', origin: 'https://app.example.com' };
  if (authorization) headers.authorization = authorization;
  let next = 0;
  const rotate = tokens
    ? [
        {
          method: 'GET',
          path: '/hello?name=bench',
          setupRequest: (req) => ({
            ...req,
            headers: { ...headers, authorization: `Bearer ${tokens[next++ % tokens.length]}` },
          }),
        },
      ]
    : undefined;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/hello?name=bench`,
    connections: 50,
    pipelining: 1,
    duration: seconds,
    headers,
    ...(rotate ? { requests: rotate } : {}),
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`errors: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result;
}

/** Requests per second of {@link loadResult}. */
export const load = async (port, seconds, options) =>
  (await loadResult(port, seconds, options)).requests.average;

/**
 * A `metric: 'rate'` case for bench/run.mjs: both variants run as child
 * processes, each logging to its own file, and are loaded alike (`loadOptions`
 * goes to {@link load} for both, so both get the same request bytes). `min`
 * undefined makes it a reported case without a target. `prepare()` may
 * resolve load options that are costly to build (signed tokens) once, at setup.
 */
export function rateCase({ name, anchorName, anchor, subject, min, prepare }) {
  return {
    name,
    anchorName,
    metric: 'rate',
    unit: 'req/s',
    // Many short ABBA pairs: on a shared 2-core machine the same server's rate swings by
    // a third between consecutive seconds, and 4 long pairs left the median at the mercy
    // of two bursts (the same build measured 0.57×–0.84× in three runs).
    rounds: 24,
    roundMs: 1000,
    // Eight pairs of server processes, three rounds each: two processes running the very
    // same code answer at rates up to ~20 % apart (what the JIT and the allocator made of
    // each), and one pair would carry that into every round; with six pairs the same build
    // read anywhere from 0.64× to 0.76× (ADR 0116).
    roundsPerProcess: 3,
    // A fresh server needs seconds of load to reach its steady rate (the JIT tiers its hot
    // code up on the same two cores), and the larger the stack, the longer: in its first
    // three seconds Plinth's full stack ran at 37 %, 59 % and 82 % of its plateau, bare
    // Fastify at 52 %, 78 % and 103 %. Five seconds per side puts both on it (ADR 0115).
    warmMs: 5000,
    target: min === undefined ? undefined : { min },
    async setup() {
      const loadOptions = (await prepare?.()) ?? {};
      const dir = mkdtempSync(join(tmpdir(), 'plinth-bench-http-'));
      let servers = [];
      const stop = () => {
        for (const s of servers) s.child.kill();
        servers = [];
      };
      const start = async () => {
        stop();
        try {
          servers.push(await startServer(anchor, join(dir, 'anchor.log')));
          servers.push(await startServer(subject, join(dir, 'subject.log')));
        } catch (err) {
          stop();
          throw err;
        }
      };
      try {
        await start();
      } catch (err) {
        rmSync(dir, { recursive: true, force: true });
        throw err;
      }
      const seconds = (ms) => Math.max(1, Math.round(ms / 1000));
      return {
        anchor: (ms) => load(servers[0].port, seconds(ms), loadOptions),
        subject: (ms) => load(servers[1].port, seconds(ms), loadOptions),
        restart: start,
        async teardown() {
          stop();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  };
}

/** The median of a list of numbers (the mean of the middle two for an even count). */
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function compare(dir, name, anchorVariant, subjectVariant, target) {
  const anchor = await startServer(anchorVariant, join(dir, `${anchorVariant}.log`));
  const subject = await startServer(subjectVariant, join(dir, `${subjectVariant}.log`));
  try {
    await load(anchor.port, 1);
    await load(subject.port, 1);
    const a = [];
    const s = [];
    for (let i = 0; i < PAIRS; i++) {
      const order = i % 2 === 0 ? [anchor, subject] : [subject, anchor];
      for (const server of order)
        (server === anchor ? a : s).push(await load(server.port, SECONDS));
    }
    const ratio = median(s.map((x, i) => x / a[i]));
    // biome-ignore lint/suspicious/noConsole: the bench reports on stdout
    console.log(
      `${name}: plinth ${Math.round(median(s))} req/s, anchor ${Math.round(median(a))} req/s, ratio ${ratio.toFixed(2)} (target ≥ ${target}) ${ratio >= target ? 'ok' : 'BELOW TARGET'}`,
    );
  } finally {
    anchor.child.kill();
    subject.child.kill();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-bench-'));
  try {
    await compare(
      dir,
      'fastify hello (full stack vs Fastify logger)',
      'fastify-bare',
      'fastify-plinth',
      0.8,
    );
    await compare(
      dir,
      'express hello (full stack vs pino-http)',
      'express-pino-http',
      'express-plinth',
      0.9,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
