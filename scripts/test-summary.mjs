#!/usr/bin/env node
// Adds up the vitest JSON reports every package wrote (.test-results/vitest.json)
// and prints one closing line: "N passed, N failed, N skipped".
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listPackages } from './workspace.mjs';

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const pkg of listPackages()) {
  const file = join(pkg.dir, '.test-results', 'vitest.json');
  if (!existsSync(file)) {
    missing.push(pkg.name);
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  console.log(
    `${pkg.name}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`,
  );
}
if (missing.length) console.log(`no test report from: ${missing.join(', ')}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failed > 0 || passed === 0 || missing.length) process.exitCode = 1;
