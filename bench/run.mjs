#!/usr/bin/env node
// Runs every bench/cases/*.mjs side by side with its anchor and prints ratios.
// Usage: node bench/run.mjs [--filter substring] [--json] [--quick] [--file case.mjs]
// (`--filter http` runs the HTTP cases: the files whose name or text contains it.)
// Rounds alternate anchor/subject (ABBA) so drift on a noisy 2-core machine hits
// both sides equally; the reported ratio is the median of per-pair ratios.
// Each case file runs in its own child process (one process tree).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const filter = args.includes('--filter') ? args[args.indexOf('--filter') + 1] : undefined;
const asJson = args.includes('--json');
const quick = args.includes('--quick') || process.env.BENCH_QUICK === '1';
const ROUND_MS = quick ? 40 : 120;
// Time cases: PAIRS alternating batches of ROUND_MS / PAIR_DIVISOR each.
const PAIRS = quick ? 30 : 120;
const PAIR_DIVISOR = 8;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** ns per op for `fn` (sync or async) run `n` times. */
async function timeBatch(fn, n, isAsync) {
  const start = process.hrtime.bigint();
  if (isAsync) for (let i = 0; i < n; i++) await fn();
  else for (let i = 0; i < n; i++) fn();
  return Number(process.hrtime.bigint() - start) / n;
}

async function calibrate(fn, isAsync) {
  let n = 1;
  for (;;) {
    const ns = await timeBatch(fn, n, isAsync);
    if (ns * n >= ROUND_MS * 1e6 * 0.25 || n >= 1 << 24) {
      return Math.max(1, Math.round((ROUND_MS * 1e6) / Math.max(ns, 1)));
    }
    n *= 4;
  }
}

async function runTimeCase(c, impl) {
  const isAsync = Boolean(c.async);
  await calibrate(impl.anchor, isAsync); // warm-up
  await calibrate(impl.subject, isAsync);
  // Many short back-to-back pairs (ABBA order); the ratio is taken within each
  // pair, so load from other processes hits both sides of a pair alike, and the
  // median over pairs discards the pairs a burst landed in.
  const nA = Math.max(1, Math.round((await calibrate(impl.anchor, isAsync)) / PAIR_DIVISOR));
  const nS = Math.max(1, Math.round((await calibrate(impl.subject, isAsync)) / PAIR_DIVISOR));
  const a = [];
  const s = [];
  const ratios = [];
  for (let r = 0; r < PAIRS; r++) {
    let ta;
    let ts;
    if (r % 2 === 0) {
      ta = await timeBatch(impl.anchor, nA, isAsync);
      ts = await timeBatch(impl.subject, nS, isAsync);
    } else {
      ts = await timeBatch(impl.subject, nS, isAsync);
      ta = await timeBatch(impl.anchor, nA, isAsync);
    }
    a.push(ta);
    s.push(ts);
    ratios.push(ts / ta);
  }
  return { unit: 'ns/op', anchor: median(a), subject: median(s), ratio: median(ratios) };
}

async function runRateCase(c, impl) {
  // impl.anchor / impl.subject: async (durationMs) => operations per second
  const dur = quick ? 1000 : (c.roundMs ?? 3000);
  const rounds = quick ? 2 : (c.rounds ?? 4);
  // Load each side until it runs at its steady rate before it is measured: the case's
  // `warmMs` (ADR 0115), else half a second; `--quick` only checks that a case runs.
  const warm = (!quick && c.warmMs) || Math.min(dur, 500);
  await impl.anchor(warm);
  await impl.subject(warm);
  const a = [];
  const s = [];
  const ratios = [];
  for (let r = 0; r < rounds; r++) {
    // A case may spread its rounds over several pairs of fresh processes (each warmed up
    // again), so one process's luck with the JIT does not decide the whole case.
    if (!quick && r > 0 && impl.restart && r % (c.roundsPerProcess ?? rounds) === 0) {
      await impl.restart();
      await impl.anchor(warm);
      await impl.subject(warm);
    }
    let ra;
    let rs;
    if (r % 2 === 0) {
      ra = await impl.anchor(dur);
      rs = await impl.subject(dur);
    } else {
      rs = await impl.subject(dur);
      ra = await impl.anchor(dur);
    }
    a.push(ra);
    s.push(rs);
    ratios.push(rs / ra);
  }
  return { unit: c.unit ?? 'ops/s', anchor: median(a), subject: median(s), ratio: median(ratios) };
}

const fmt = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

const files = readdirSync(join(here, 'cases'))
  .filter((f) => f.endsWith('.mjs'))
  .sort();
// `--file X` runs one case file in this process; without it, each matching
// file runs in its own child process so one case's heap (the audit case keeps
// hundreds of thousands of events alive) never taxes the next case's GC.
const only = args.includes('--file') ? args[args.indexOf('--file') + 1] : undefined;

function matches(file) {
  if (only) return file === only;
  // Import only what the filter can match: a case file needs its package built.
  if (!filter || file.includes(filter)) return true;
  return readFileSync(join(here, 'cases', file), 'utf8').includes(filter);
}

// Ratios move with the runtime and the machine (Node 24's AsyncLocalStorage costs more per
// frame than Node 22's, for one): every report says where it was measured.
if (!asJson && !only) {
  const cpus = os.cpus();
  console.log(`node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}\n`);
}

const results = [];
const report = (row) => {
  results.push(row);
  if (asJson) return;
  // A case without a target is measured and reported, never missed.
  const t = !row.target
    ? 'reported'
    : row.target.max !== undefined
      ? `target ≤ ${row.target.max}×`
      : `target ≥ ${row.target.min}×`;
  const mark = !row.target ? 'info' : row.ok ? 'ok  ' : 'MISS';
  console.log(
    `${mark} ${row.name}\n     ours ${fmt(row.subject)} ${row.unit} | anchor (${row.anchorName}) ${fmt(row.anchor)} ${row.unit} | ratio ${row.ratio.toFixed(3)}× (${t})${row.note ? ` | ${row.note}` : ''}`,
  );
};

for (const file of files.filter(matches)) {
  if (!only) {
    const childArgs = [fileURLToPath(import.meta.url), '--file', file, '--json'];
    if (filter) childArgs.push('--filter', filter);
    if (quick) childArgs.push('--quick');
    const child = spawnSync(process.execPath, childArgs, { encoding: 'utf8', maxBuffer: 1 << 26 });
    let rows = [];
    try {
      rows = JSON.parse(child.stdout);
    } catch {
      // No results at all: the file crashed before printing them.
    }
    // Exit code 1 is a missed target; anything else is a crash or a failed case.
    if (child.status !== 0 && child.status !== 1) {
      console.error(`bench case file ${file} failed:\n${child.stderr}`);
      process.exitCode = 2;
    }
    for (const row of rows) report(row);
    continue;
  }
  const mod = await import(pathToFileURL(join(here, 'cases', file)).href);
  for (const c of mod.default) {
    if (filter && !c.name.includes(filter) && !file.includes(filter)) continue;
    let impl;
    try {
      impl = await c.setup();
      const r = c.metric === 'rate' ? await runRateCase(c, impl) : await runTimeCase(c, impl);
      const ok = !c.target
        ? true
        : c.target.max !== undefined
          ? r.ratio <= c.target.max
          : r.ratio >= c.target.min;
      const row = { file, name: c.name, anchorName: c.anchorName, ...r, target: c.target, ok };
      if (impl.check) row.note = await impl.check();
      report(row);
    } catch (err) {
      // One broken case (a server that failed to start, a non-2xx answer under
      // load) must not take the other cases' results with it.
      console.error(`bench case "${c.name}" failed: ${err?.stack ?? err}`);
      process.exitCode = 2;
    } finally {
      await impl?.teardown?.();
    }
  }
}
if (asJson) console.log(JSON.stringify(results, null, 2));
else {
  const targeted = results.filter((r) => r.target);
  const reported = results.length - targeted.length;
  console.log(
    `\n${targeted.filter((r) => r.ok).length}/${targeted.length} targets met${reported ? `, ${reported} reported without a target` : ''}`,
  );
}
if (process.exitCode !== 2) process.exitCode = results.every((r) => r.ok) ? 0 : 1;
