#!/usr/bin/env node
// Server CPU time per request under load (Linux): each variant runs as its own
// server process (server.mjs) and autocannon loads one at a time, as in the
// req/s cases; the figure is the server process's user + system time, read
// from /proc/<pid>/stat before and after each round, over the requests it
// answered. Unlike cost.mjs (in process, no sockets) this includes what a step
// costs inside a loaded server sharing its cores and caches with the load
// generator and the kernel's socket work; unlike the req/s ratio it does not
// include the load generator's own CPU. Rounds rotate the variants (reversed
// every other round) and each variant's figure is its median round.
//
// Usage: node bench/cpu.mjs [--procs 3] [--rounds 3] [--seconds 2] [--auth]
//          variant[:NAME=value] ...
// (`--auth` sends one valid bearer token; `:NAME=value` sets an environment
// variable for that variant's servers only, to compare a build switch.)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { variants } from './apps.mjs';
import { loadResult, median, startServer } from './hello.mjs';
import { signTokens } from './tokens.mjs';

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const value = Number(argv.splice(i, 2)[1]);
  if (!(Number.isInteger(value) && value > 0))
    throw new Error(`--${name} takes a positive integer`);
  return value;
};
const PROCS = option('procs', 3);
const ROUNDS = option('rounds', 3);
const SECONDS = option('seconds', 2);
const WARM_SECONDS = 5; // ADR 0115: a fresh server reaches its steady rate after ~5 s of load.
const auth = argv.includes('--auth');
const specs = argv.filter((a) => !a.startsWith('--'));
if (process.platform !== 'linux') throw new Error('cpu.mjs reads /proc/<pid>/stat: Linux only');
if (specs.length === 0) throw new Error(`name one or more variants: ${variants.join(', ')}`);

const parsed = specs.map((spec) => {
  const [variant, assignment] = spec.split(':');
  if (!variants.includes(variant)) throw new Error(`unknown variant ${variant}`);
  const eq = assignment?.indexOf('=') ?? -1;
  const env = assignment && eq > 0 ? { [assignment.slice(0, eq)]: assignment.slice(eq + 1) } : {};
  return { spec, variant, env };
});

const loadOptions = auth ? { authorization: `Bearer ${(await signTokens(1))[0]}` } : {};
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/<pid>/stat). */
function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function load(server, seconds) {
  const before = cpuTicks(server.child.pid);
  const result = await loadResult(server.port, seconds, loadOptions);
  const used = cpuTicks(server.child.pid) - before;
  return {
    usPerRequest: (used * 1e6) / TICKS_PER_SECOND / result.requests.total,
    rate: result.requests.average,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'plinth-bench-cpu-'));
const cost = parsed.map(() => []);
const rate = parsed.map(() => []);
let servers = [];
try {
  for (let p = 0; p < PROCS; p++) {
    servers = [];
    for (const [i, v] of parsed.entries())
      servers.push(await startServer(v.variant, join(dir, `${p}-${i}.log`), v.env));
    for (const s of servers) await load(s, WARM_SECONDS);
    for (let r = 0; r < ROUNDS; r++) {
      const order = servers.map((_, i) => i);
      if ((p * ROUNDS + r) % 2 === 1) order.reverse();
      for (const i of order) {
        const { usPerRequest, rate: rps } = await load(servers[i], SECONDS);
        cost[i].push(usPerRequest);
        rate[i].push(rps);
      }
    }
    for (const s of servers) s.child.kill();
  }
  const base = median(cost[0]);
  for (const [i, { spec }] of parsed.entries()) {
    const c = median(cost[i]);
    // biome-ignore lint/suspicious/noConsole: the tool reports on stdout
    console.log(
      `${spec.padEnd(30)} ${c.toFixed(1).padStart(6)} µs CPU/request  ${(c / base).toFixed(2)}× ${parsed[0].spec}  (${Math.round(median(rate[i]))} req/s)`,
    );
  }
} finally {
  for (const s of servers) s.child.kill();
  rmSync(dir, { recursive: true, force: true });
}
