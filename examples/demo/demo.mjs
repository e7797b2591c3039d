#!/usr/bin/env node
// `pnpm demo` — one command from a fresh clone (after `pnpm install`) to a running example
// service with data in it:
//   1. builds what the demo needs (turbo, filtered to this package's dependencies);
//   2. starts an embedded PostgreSQL (PGlite over pglite-socket) and an embedded
//      S3-compatible store (fauxqs), both in this process;
//   3. starts the Fastify example (`--express` for the Express one) as a child process with
//      generated development secrets and the local key provider (no AWS account needed);
//   4. seeds two tenants (staff accounts through the API, a few clients, a document);
//   5. prints the URL, the docs URL, tokens and three curl commands that work as printed.
// Ctrl-C stops the service gracefully (SIGTERM), then fauxqs and PostgreSQL.
//
// Flags: --express | --fastify (default) · --port N (default $PORT or 3000; 0 = any free port)
//        --no-build (skip the build) · --logs (stream the service's JSON logs here)
//        --smoke (start, seed, run the printed curl commands, shut down; exit 0 when all pass)
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFauxqs } from 'fauxqs';
import { SignJWT } from 'jose';
import { startEmbeddedPostgres } from './lib/embedded-postgres.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');

function parseArgs(argv) {
  const options = { framework: 'fastify', port: process.env.PORT ?? '3000', build: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--express' || arg === '--fastify') options.framework = arg.slice(2);
    else if (arg === '--no-build') options.build = false;
    else if (arg === '--smoke') options.smoke = true;
    else if (arg === '--logs') options.logs = true;
    else if (arg === '--port') options.port = argv[++i];
    else if (arg === '--help' || arg === '-h') options.help = true;
    else if (arg !== '--') throw new Error(`unknown option ${arg} (try --help)`);
  }
  if (!/^\d{1,5}$/.test(options.port ?? '') || Number(options.port) > 65_535)
    throw new Error('--port must be a number from 0 to 65535');
  return options;
}

const HELP = `pnpm demo [--express] [--port N] [--no-build] [--logs] [--smoke]
  --express    run the Express example instead of the Fastify one
  --port N     port to listen on (default $PORT or 3000; 0 picks a free one)
  --no-build   do not build first (the service's dist/ must exist)
  --logs       stream the service's JSON logs to this terminal
  --smoke      start, seed, run the printed curl commands, stop (exit code says if all passed)`;

const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);
const say = (line = '') => process.stdout.write(`${line}\n`);

function build(framework) {
  const bin = join(root, 'node_modules', '.bin');
  const turbo = join(bin, 'turbo');
  if (!existsSync(turbo)) throw new Error('turbo is not installed: run `pnpm install` first');
  say(dim(`building @plinth-example/${framework}-service and its dependencies…`));
  const out = spawnSync(
    turbo,
    [
      'run',
      'build',
      `--filter=@plinth-example/${framework}-service...`,
      '--output-logs=errors-only',
    ],
    {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      // turbo looks for the pnpm binary on PATH: the workspace's own pin is in node_modules/.bin.
      env: {
        ...process.env,
        PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
        TURBO_TELEMETRY_DISABLED: '1',
      },
    },
  );
  if (out.status !== 0) throw new Error(`the build failed (exit ${out.status ?? out.signal})`);
}

/** Starts `node dist/main.js` of the service and resolves with its URL from the `listening` line. */
function startService(framework, env, { logs }) {
  const cwd = join(here, '..', `${framework}-service`);
  const main = join(cwd, 'dist', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run without --no-build`);
  const logFile = join(tmpdir(), `plinth-demo-${framework}-${process.pid}.log`);
  const log = createWriteStream(logFile);
  // A process group of its own: Ctrl-C in a terminal signals the whole foreground group,
  // and the service must get exactly one signal (SIGTERM, from here) — a second one
  // means "stop now" to it and skips the graceful drain.
  const child = spawn(process.execPath, [main], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  // If this process ends without the orderly shutdown, the service must not outlive it.
  process.once('exit', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const exited = new Promise((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  let tail = '';
  const url = new Promise((ok, fail) => {
    let pending = '';
    const timer = setTimeout(
      () => fail(new Error(`the service did not start in 60 s; log: ${logFile}`)),
      60_000,
    );
    const onData = (chunk) => {
      log.write(chunk);
      if (logs) process.stdout.write(chunk);
      tail = (tail + chunk.toString('utf8')).slice(-4000);
      pending += chunk.toString('utf8');
      for (let nl = pending.indexOf('\n'); nl !== -1; nl = pending.indexOf('\n')) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (!line.includes('"listening"')) continue;
        try {
          const entry = JSON.parse(line);
          if (entry.msg === 'listening' && typeof entry.url === 'string') {
            clearTimeout(timer);
            ok(entry.url);
          }
        } catch {
          // not a JSON log line
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      fail(new Error(`the service exited (${code ?? signal}) before listening:\n${tail}`));
    });
  });
  return { child, url, exited, logFile, tail: () => tail };
}

async function stopService(service, timeoutMs = 20_000) {
  if (service.child.exitCode !== null || service.child.signalCode !== null) return service.exited;
  service.child.kill('SIGTERM');
  let timer;
  const result = await Promise.race([
    service.exited,
    new Promise((done) => {
      timer = setTimeout(() => done(undefined), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (result) return result;
  service.child.kill('SIGKILL');
  return service.exited;
}

/** A small JSON client for seeding; throws with the problem's title on an unexpected status. */
function client(url) {
  return async (method, path, { token, json, body, type, expect = [200, 201] } = {}) => {
    const headers = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (json !== undefined) headers['content-type'] = 'application/json';
    if (type) headers['content-type'] = type;
    const res = await fetch(`${url}${path}`, {
      method,
      headers,
      body: json !== undefined ? JSON.stringify(json) : body,
    });
    const text = await res.text();
    if (!expect.includes(res.status))
      throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : undefined;
  };
}

const TENANTS = [
  {
    name: 'Acme Health',
    slug: 'acme',
    clients: [
      ['Ada Lovelace', 'ada@acme.example', '+44 20 7946 0018'],
      ['Alan Turing', 'alan@acme.example', '+44 20 7946 0019'],
      ['Mary Somerville', 'mary@acme.example', null],
    ],
  },
  {
    name: 'Globex Care',
    slug: 'globex',
    clients: [
      ['Grace Hopper', 'grace@globex.example', '+1 202 555 0143'],
      ['Katherine Johnson', 'katherine@globex.example', '+1 202 555 0144'],
    ],
  },
];
const ROLES = ['admin', 'staff', 'viewer'];

async function seed(url, auth) {
  const call = client(url);
  const key = new TextEncoder().encode(auth.secret);
  const sign = (claims, ttlSeconds = 8 * 3600) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(auth.issuer)
      .setAudience(auth.audience)
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(key);
  const tenants = [];
  for (const spec of TENANTS) {
    const tenantId = randomUUID();
    // Bootstrap: a short-lived admin token signed with the dev secret creates the first accounts.
    const bootstrap = await sign({ sub: randomUUID(), tenant_id: tenantId, roles: ['admin'] }, 300);
    const accounts = {};
    for (const role of ROLES) {
      const email = `${role}@${spec.slug}.example`;
      const password = `demo-${spec.slug}-${role}-${randomBytes(4).toString('hex')}`;
      await call('POST', '/v1/users', {
        token: bootstrap,
        json: { email, password, roles: [role] },
      });
      const session = await call('POST', '/v1/auth/login', { json: { tenantId, email, password } });
      accounts[role] = { email, password, token: session.accessToken };
    }
    const clients = [];
    for (const [name, email, phone] of spec.clients)
      clients.push(
        await call('POST', '/v1/clients', {
          token: accounts.staff.token,
          json: phone ? { name, email, phone } : { name, email },
        }),
      );
    await call('POST', `/v1/clients/${clients[0].id}/documents?name=consent-form.txt`, {
      token: accounts.staff.token,
      body: `Consent form of ${clients[0].name}, signed ${new Date().toISOString().slice(0, 10)}.\n`,
      type: 'text/plain',
    });
    // End-client tokens as a client identity provider would issue them: one per verification level.
    const clientTokens = [];
    for (const level of [0, 1, 2])
      clientTokens.push(
        await sign({
          sub: clients[0].id,
          tenant_id: tenantId,
          roles: ['client'],
          verification_level: level,
        }),
      );
    tenants.push({ ...spec, tenantId, accounts, clients, clientTokens });
  }
  return tenants;
}

function curlCommands(url, acme) {
  return [
    {
      what: `list ${acme.name}'s clients as its viewer`,
      command: `curl -fsS ${url}/v1/clients -H 'Authorization: Bearer ${acme.accounts.viewer.token}'`,
    },
    {
      what: `create a client as ${acme.name} staff`,
      command: `curl -fsS -X POST ${url}/v1/clients -H 'Authorization: Bearer ${acme.accounts.staff.token}' -H 'Content-Type: application/json' -d '{"name":"Edsger Dijkstra","email":"edsger@acme.example"}'`,
    },
    {
      what: `read ${acme.clients[0].name}'s own record with a verification-level-1 client token`,
      command: `curl -fsS ${url}/v1/me -H 'Authorization: Bearer ${acme.clientTokens[1]}'`,
    },
  ];
}

function printSummary({ framework, url, tenants, curls, logFile }) {
  say();
  say(
    bold(
      `Plinth demo: the ${framework === 'fastify' ? 'Fastify' : 'Express'} example service is running`,
    ),
  );
  say(`  URL       ${url}`);
  say(`  API docs  ${url}/docs   (OpenAPI: ${url}/openapi.json)`);
  say(`  health    ${url}/health/ready`);
  say(`  log       ${logFile}`);
  say(
    dim(
      '  embedded PostgreSQL (PGlite), embedded S3 (fauxqs), local key provider, dev secrets made for this run',
    ),
  );
  for (const t of tenants) {
    say();
    say(bold(`${t.name}  tenant_id ${t.tenantId}`));
    for (const role of ROLES) {
      const a = t.accounts[role];
      say(`  ${role.padEnd(7)} ${a.email} / ${a.password}`);
      say(`          ${a.token}`);
    }
    t.clientTokens.forEach((token, level) => {
      say(
        `  client  ${t.clients[0].name}, verification_level ${level}${level === 0 ? ' (/v1/me refuses: 403)' : level === 1 ? ' (/v1/me)' : ' (/v1/me and /v1/me/documents)'}`,
      );
      say(`          ${token}`);
    });
  }
  say();
  say(bold('Try'));
  for (const { what, command } of curls) {
    say(dim(`  # ${what}`));
    say(`  ${command}`);
  }
  say();
  say(dim('Tokens last 8 hours. Ctrl-C stops everything.'));
}

function runCurl(command) {
  return new Promise((done) => {
    const child = spawn('sh', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.stderr.on('data', (c) => {
      out += c;
    });
    child.once('exit', (code) => done({ code, out }));
  });
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
    if (options.help) return say(HELP);
    if (options.build) build(options.framework);
  } catch (err) {
    process.stderr.write(`demo: ${err.message}\n`);
    process.exitCode = 1;
    return;
  }

  const cleanups = [];
  let stopping;
  const shutdown = (code) => {
    stopping ??= (async () => {
      for (const step of cleanups.reverse()) {
        try {
          await step();
        } catch (err) {
          process.stderr.write(`demo: ${err.message}\n`);
          code = 1;
        }
      }
      process.exitCode = code;
    })();
    return stopping;
  };
  process.once('SIGINT', () => {
    say(dim('\nstopping…'));
    void shutdown(0);
  });
  process.once('SIGTERM', () => void shutdown(0));

  try {
    const pg = await startEmbeddedPostgres();
    cleanups.push(() => pg.stop());
    const s3 = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
    cleanups.push(() => s3.stop());
    const bucket = 'plinth-demo-documents';
    s3.createBucket(bucket);

    const auth = {
      secret: randomBytes(48).toString('base64url'),
      issuer: 'plinth-demo',
      audience: 'plinth-demo',
    };
    const env = {
      NODE_ENV: 'development',
      PORT: String(options.port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      LOG_PRETTY: 'false',
      DATABASE_URL: pg.connectionString,
      // PGlite is one backend session: one pooled connection.
      DATABASE_POOL_MAX: '1',
      MIGRATE_ON_START: 'true',
      ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
      LOCAL_KMS_KEYS: `m1:${randomBytes(32).toString('base64')}`,
      AUTH_JWT_SECRET: auth.secret,
      AUTH_ISSUER: auth.issuer,
      AUTH_AUDIENCE: auth.audience,
      AUTH_ACCESS_TOKEN_TTL: '8h',
      S3_BUCKET: bucket,
      S3_ENDPOINT: `http://127.0.0.1:${s3.port}`,
      S3_FORCE_PATH_STYLE: 'true',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'demo',
      AWS_SECRET_ACCESS_KEY: 'demo-secret-access-key',
      DOCUMENT_RETENTION_DAYS: '30',
      SHUTDOWN_DRAIN_DELAY: '0s',
      OTEL_SDK_DISABLED: 'true',
    };
    say(dim(`starting the ${options.framework} service on embedded PostgreSQL and S3…`));
    const service = startService(options.framework, env, options);
    cleanups.push(async () => {
      const { code, signal } = await stopService(service);
      if (code !== 0)
        throw new Error(`the service exited with ${code ?? signal}; log: ${service.logFile}`);
    });
    const url = await service.url;
    service.exited.then(({ code, signal }) => {
      if (stopping) return;
      process.stderr.write(
        `demo: the service stopped unexpectedly (${code ?? signal}); log: ${service.logFile}\n${service.tail()}\n`,
      );
      void shutdown(1);
    });

    const tenants = await seed(url, auth);
    const curls = curlCommands(url, tenants[0]);
    printSummary({ framework: options.framework, url, tenants, curls, logFile: service.logFile });

    if (options.smoke) {
      let failed = 0;
      for (const { what, command } of curls) {
        const { code, out } = await runCurl(command);
        say(
          `${code === 0 ? 'ok  ' : 'FAIL'} ${what}${code === 0 ? '' : ` (curl exit ${code}): ${out.slice(0, 300)}`}`,
        );
        if (code !== 0) failed++;
      }
      await shutdown(failed === 0 ? 0 : 1);
      if (failed === 0) say('smoke: all curl commands passed; stopped cleanly');
    }
  } catch (err) {
    process.stderr.write(`demo: ${err.message}\n`);
    await shutdown(1);
  }
}

await main();
