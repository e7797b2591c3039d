#!/usr/bin/env node
// publint + @arethetypeswrong/cli on every publishable package (built dist required).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { listPackages, root } from './workspace.mjs';

const bin = (name) => join(root, 'node_modules', '.bin', name);
let failed = 0;
for (const pkg of listPackages()) {
  if (!existsSync(join(pkg.dir, 'dist'))) {
    console.error(`✗ ${pkg.name}: no dist/ — run the build first`);
    failed++;
    continue;
  }
  for (const [tool, args] of [
    ['publint', ['--strict', '--level', 'suggestion']],
    // node10 resolution cannot see subpath exports; Node >= 22.15 is required anyway.
    ['attw', ['--pack', '.', '--profile', 'node16', '--format', 'ascii']],
  ]) {
    const r = spawnSync(bin(tool), args, { cwd: pkg.dir, encoding: 'utf8' });
    const out = `${r.stdout}${r.stderr}`.trim();
    if (r.status !== 0) {
      failed++;
      console.error(`✗ ${pkg.name}: ${tool}\n${out}\n`);
    } else {
      console.log(`✓ ${pkg.name}: ${tool}`);
    }
  }
}
if (failed) {
  console.error(`\n${failed} package check(s) failed`);
  process.exit(1);
}
