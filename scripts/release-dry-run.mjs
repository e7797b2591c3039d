#!/usr/bin/env node
// What `pnpm release` would do, without a registry login or any write:
// 1. show the pending changesets and the version each package would get;
// 2. `pnpm publish --dry-run` every publishable package (packs, runs publish
//    lifecycle checks, prints the tarball contents, sends nothing).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { listPackages, root } from './workspace.mjs';

const bin = (name) => join(root, 'node_modules', '.bin', name);
const step = (cmd, args, cwd = root) => {
  console.log(`\n$ ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

step(bin('changeset'), ['status', '--verbose']);
for (const pkg of listPackages()) {
  step(bin('pnpm'), ['publish', '--dry-run', '--no-git-checks', '--access', 'public'], pkg.dir);
}
console.log('\nrelease dry run: every package packs and would publish');
