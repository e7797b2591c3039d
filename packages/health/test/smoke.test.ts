import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as root from '@plinth/health';
import { describe, expect, it } from 'vitest';

// Exercises the BUILT package through its exports map, as a consumer would.
// Needs `npx tsup` first; without dist/ the suite is reported as skipped.
const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const built = existsSync(new URL('../dist/index.js', import.meta.url));
const entries = ['@plinth/health', '@plinth/health/s3', '@plinth/health/kms'];

function node(args: string[]) {
  // No @plinth/source condition: resolution goes to dist like in a consumer.
  return spawnSync(process.execPath, args, {
    cwd: pkgDir,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
}

describe.skipIf(!built)('built package (skipped until `npx tsup` has produced dist/)', () => {
  it.each(entries)('imports and requires %s', (spec) => {
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

  it('keeps the AWS SDK out of the root entry point', () => {
    for (const file of ['../dist/index.js', '../dist/index.cjs']) {
      expect(readFileSync(new URL(file, import.meta.url), 'utf8')).not.toContain('@aws-sdk');
    }
    const loaded = node([
      '-e',
      "require('@plinth/health'); console.log(Object.keys(require.cache).filter((k) => k.includes('@aws-sdk')).length)",
    ]);
    expect(loaded.stdout.trim()).toBe('0');
  });

  it('serves a readiness probe from the built code', () => {
    const out = node([
      '--input-type=module',
      '-e',
      "import { createHealth } from '@plinth/health'; const r = await createHealth({ checks: { a: async () => {} } }).ready(); console.log(JSON.stringify([r.httpStatus, r.body.status]))",
    ]);
    expect(JSON.parse(out.stdout)).toEqual([200, 'pass']);
  });
});

describe('public surface', () => {
  it('exports the factories, checks and constants, and no internals', () => {
    expect(Object.keys(root).sort()).toEqual([
      'HEALTH_CONTENT_TYPE',
      'HEALTH_DEFAULTS',
      'SHUTDOWN_DEFAULTS',
      'createHealth',
      'createHealthHandler',
      'createShutdown',
      'httpCheck',
      'postgresCheck',
      'redisCheck',
    ]);
  });
});
