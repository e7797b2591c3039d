import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Exercises the BUILT package through its exports map, as a consumer would.
// Needs `npx tsup` first; without dist/ the suite is reported as skipped.
const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const built = existsSync(new URL('../dist/index.js', import.meta.url));

function node(args: string[]) {
  // No @plinth/source condition: resolution goes to dist like in a consumer.
  return spawnSync(process.execPath, args, {
    cwd: pkgDir,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
}

describe.skipIf(!built)('built package (skipped until `npx tsup` has produced dist/)', () => {
  it.each(['@plinth/audit', '@plinth/audit/s3'])('imports and requires %s', (spec) => {
    const esm = node([
      '--input-type=module',
      '-e',
      `const m = await import('${spec}'); console.log(Object.keys(m).length)`,
    ]);
    expect(esm.stderr).toBe('');
    expect(Number(esm.stdout)).toBeGreaterThan(0);
    const cjs = node(['-e', `console.log(Object.keys(require('${spec}')).length)`]);
    expect(cjs.stderr).toBe('');
    expect(Number(cjs.stdout)).toBeGreaterThan(0);
  });

  it('finds the shipped migrations from both the ESM and the CJS build', () => {
    const list = "require('node:fs').readdirSync(m.migrationsDirectory()).join(',')";
    const esm = node([
      '--input-type=module',
      '-e',
      `const m = await import('@plinth/audit'); const require = (await import('node:module')).createRequire(import.meta.url); console.log(${list})`,
    ]);
    expect(esm.stderr).toBe('');
    expect(esm.stdout).toContain('0001_audit_events.sql');
    const cjs = node(['-e', `const m = require('@plinth/audit'); console.log(${list})`]);
    expect(cjs.stderr).toBe('');
    expect(cjs.stdout).toContain('0001_audit_events.sql');
  });

  it('keeps the AWS SDK out of the root entry point', () => {
    for (const file of ['../dist/index.js', '../dist/index.cjs']) {
      expect(readFileSync(new URL(file, import.meta.url), 'utf8')).not.toContain('@aws-sdk');
    }
  });

  it('ships the migrations folder in the package files', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(pkg.files).toContain('migrations');
  });
});
