#!/usr/bin/env node
// Server-side CPU cost per request, in process and without sockets: each
// variant's Node request listener gets real `IncomingMessage` /
// `ServerResponse` objects on a socket that discards what it is written, so
// everything from the framework's routing to Node's header serialisation is
// timed, and neither the kernel nor the load generator is. On a shared
// machine this is steadier than a throughput run: batches alternate between
// variants (ABBA) and the reported figure is the median per-batch cost.
//
// Usage: node bench/cost.mjs [--batches 40] [--size 2000] [--auth] [--tokens N]
//          [--profile out.cpuprofile] variantA variantB ...
// (`--auth` sends one valid bearer token, `--tokens N` rotates N distinct ones;
// `--profile` writes a CPU profile of the measured batches, after warm-up.)
// It guides optimisation; the req/s ratios in bench/ are the targets.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { buildApp, ORIGIN } from './apps.mjs';
import { median } from './hello.mjs';
import { signTokens } from './tokens.mjs';

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const [value] = argv.splice(i, 2).slice(1);
  return Number(value);
};
const profileIndex = argv.indexOf('--profile');
const profile = profileIndex === -1 ? undefined : argv.splice(profileIndex, 2)[1];
const BATCHES = option('batches', 40);
const SIZE = option('size', 2000);
const TOKENS = option('tokens', 0);
const auth = argv.includes('--auth');
const names = argv.filter((a) => !a.startsWith('--'));
const tokens = TOKENS > 0 ? await signTokens(TOKENS) : auth ? await signTokens(1) : [];

/** A socket that accepts and drops every write, like a fast client that never reads slowly. */
function nullSocket() {
  const socket = new Writable({
    write: (_chunk, _encoding, callback) => callback(),
    writev: (_chunks, callback) => callback(),
  });
  Object.assign(socket, { remoteAddress: '127.0.0.1', remotePort: 50000, encrypted: false });
  socket.setTimeout = () => socket;
  socket.setNoDelay = () => socket;
  socket.setKeepAlive = () => socket;
  return socket;
}

let n = 0;
/** One GET /hello through `handler`; resolves when the response has closed. */
function request(handler) {
  const socket = nullSocket();
  const req = new IncomingMessage(socket);
  req.method = 'GET';
  req.url = '/hello?name=bench';
  req.httpVersion = '1.1';
  req.httpVersionMajor = 1;
  req.httpVersionMinor = 1;
  const headers = ['host', '127.0.0.1:3000', 'x-correlation-id', 'bench-1', 'origin', ORIGIN];
  if (tokens.length > 0) headers.push('authorization', `Bearer ${tokens[n++ % tokens.length]}`);
  req.rawHeaders = headers;
  req.headers = {};
  for (let i = 0; i < headers.length; i += 2) req.headers[headers[i]] = headers[i + 1];
  req.complete = true;
  req.push(null);
  const res = new ServerResponse(req);
  res.assignSocket(socket);
  return new Promise((resolve, reject) => {
    res.once('finish', () => {
      if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
      // Node emits 'close' on the response once the socket is released; the
      // access loggers listen for it, so emit it as the server would.
      res.detachSocket(socket);
      res.emit('close');
      setImmediate(resolve);
    });
    handler(req, res);
  });
}

/** CPU µs per request over `size` requests, 50 in flight (as many as the load runs' connections). */
async function batch(handler, size) {
  const start = process.cpuUsage();
  let sent = 0;
  const lane = async () => {
    while (sent < size) {
      sent++;
      await request(handler);
    }
  };
  await Promise.all(Array.from({ length: 50 }, lane));
  const used = process.cpuUsage(start);
  return (used.user + used.system) / size;
}

const dir = mkdtempSync(join(tmpdir(), 'plinth-bench-cost-'));
try {
  const apps = [];
  for (const name of names)
    apps.push({ name, app: await buildApp(name, join(dir, `${name}.log`)) });
  for (const { app } of apps) await batch(app.handler, SIZE); // warm-up (JIT, caches)
  const session = profile ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const costs = new Map(names.map((name) => [name, []]));
  for (let b = 0; b < BATCHES; b++) {
    const order = b % 2 === 0 ? apps : [...apps].reverse();
    for (const { name, app } of order) costs.get(name).push(await batch(app.handler, SIZE));
  }
  if (session) {
    const { profile: data } = await session.post('Profiler.stop');
    writeFileSync(profile, JSON.stringify(data));
    session.disconnect();
  }
  const base = median(costs.get(names[0]));
  for (const name of names) {
    const c = median(costs.get(name));
    // biome-ignore lint/suspicious/noConsole: the tool reports on stdout
    console.log(
      `${name.padEnd(22)} ${c.toFixed(2).padStart(7)} µs CPU/request  ${(c / base).toFixed(2)}× ${names[0]}`,
    );
  }
  for (const { app } of apps) await app.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
