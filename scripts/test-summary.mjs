#!/usr/bin/env node
// Adds up the vitest reports every package wrote under .test-results/ and prints
// one line per package (tests, then line/branch coverage from
// coverage/coverage-summary.json when the run had --coverage) and a closing
// line: "N passed, N failed, N skipped". Exits 1 on a failed test, a missing
// report or a package below the coverage gate. Workspaces under packages/ and
// examples/ are counted (and reliability/ whenever it has a `test` script; today
// it runs as its own CI step, `pnpm reliability`); the coverage gate applies to
// packages/ only (the example contract suite drives built services in child
// processes: no source of its own to cover).
// `node scripts/test-summary.mjs` on its own prints whatever the last runs left.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './workspace.mjs';

// Keep in step with coverage.thresholds in scripts/vitest-preset.ts.
const GATE = { lines: 90, branches: 80 };

const workspaceDir = (folder, gated) => {
  const parent = join(root, folder);
  if (!existsSync(parent)) return [];
  return readdirSync(parent)
    .map((name) => join(parent, name))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({
      dir,
      gated,
      manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')),
    }))
    .filter((p) => p.manifest.scripts?.test)
    .sort((a, b) => a.manifest.name.localeCompare(b.manifest.name));
};
/** A workspace that is itself the folder (reliability/). */
const workspaceAt = (folder, gated) => {
  const dir = join(root, folder);
  if (!existsSync(join(dir, 'package.json'))) return [];
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  return manifest.scripts?.test ? [{ dir, gated, manifest }] : [];
};
const packages = [
  ...workspaceDir('packages', true),
  ...workspaceDir('examples', false),
  ...workspaceAt('reliability', false),
];

const readJson = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined);
const pct = (n) => `${n.toFixed(1).padStart(5)} %`;

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
const below = [];
const rows = [];
for (const { dir, manifest, gated } of packages) {
  const report = readJson(join(dir, '.test-results', 'vitest.json'));
  const coverage = readJson(join(dir, '.test-results', 'coverage', 'coverage-summary.json'));
  if (!report) {
    missing.push(manifest.name);
    continue;
  }
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  const tests = `${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests} skipped`;
  let cov = '   (no coverage)';
  if (coverage && !gated && coverage.total.lines.total === 0) {
    cov = '   (no source: drives built services)';
  } else if (coverage) {
    const { lines, branches } = coverage.total;
    const ok = !gated || (lines.pct >= GATE.lines && branches.pct >= GATE.branches);
    if (!ok) below.push(manifest.name);
    cov = `${pct(lines.pct)} ${pct(branches.pct)}${ok ? '' : '  BELOW GATE'}`;
  }
  rows.push([manifest.name, tests, cov]);
}
const w0 = Math.max(7, ...rows.map((r) => r[0].length));
const w1 = Math.max(5, ...rows.map((r) => r[1].length));
console.log(`\n${'package'.padEnd(w0)}  ${'tests'.padEnd(w1)}     lines  branches`);
for (const [name, tests, cov] of rows)
  console.log(`${name.padEnd(w0)}  ${tests.padEnd(w1)}  ${cov}`);
console.log(
  `coverage gate: ≥ ${GATE.lines} % lines, ≥ ${GATE.branches} % branches per package under packages/`,
);
if (missing.length) console.log(`no test report from: ${missing.join(', ')}`);
if (below.length) console.log(`below the coverage gate: ${below.join(', ')}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failed > 0 || passed === 0 || missing.length || below.length) process.exitCode = 1;
