import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkEnvExample, loadConfig, toEnvExample } from '@plinth/config';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runCli } from '../src/cli-run.js';
import {
  cryptoConfig,
  DEV_KEY_BASE64,
  databaseConfig,
  loggingConfig,
  telemetryConfig,
} from './fixtures/package-fragments.js';
import { schema } from './fixtures/service-config.js';
import { configError } from './helpers.js';

const fixture = join(import.meta.dirname, 'fixtures', 'service-config.ts');

function io(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { cwd, out: (t: string) => out.push(t), err: (t: string) => err.push(t) },
    out,
    err,
  };
}

describe('toEnvExample', () => {
  it('renders descriptions, hints, defaults and blank secrets', async () => {
    await expect(toEnvExample(schema)).toMatchFileSnapshot('./__snapshots__/service.env.example');
  });

  it('renders a file that loads back into the defaults', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plinth-example-'));
    writeFileSync(
      join(dir, '.env'),
      toEnvExample(schema).replace('NODE_ENV=', 'NODE_ENV=development'),
    );
    const config = await loadConfig({ schema, env: {}, cwd: dir });
    expect(config.GREETING).toBe('hello world # not a comment');
    expect(config.SESSION_TTL).toBe(90 * 60_000);
    expect(config.FEATURE_FLAGS).toEqual({ newUi: false });
    expect(config.WEBHOOK_SECRET.reveal()).toBe('dev-webhook-secret-0000');
  });

  it('never prints a secret default', () => {
    const text = toEnvExample(schema);
    expect(text).not.toContain('dev-webhook-secret-0000');
    expect(text).not.toContain('cGxpbnRo');
  });
});

describe("a schema composed from several packages' fragments", () => {
  const composed = z
    .object({ ...loggingConfig, ...databaseConfig, ...cryptoConfig })
    .extend(telemetryConfig);

  it('renders every key once, in declaration order, and checks in sync', () => {
    const text = toEnvExample(composed);
    const keys = [...text.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]);
    expect(keys).toEqual(Object.keys(composed.shape));
    expect(checkEnvExample(composed, text).inSync).toBe(true);
    expect(checkEnvExample(composed, text.replace('LOG_LEVEL=info', 'LOG_LEVEL=debug')).diff).toBe(
      '- LOG_LEVEL=info\n+ LOG_LEVEL=debug (line 6)',
    );
  });

  it("keeps each fragment's guard: its development key is refused in production whatever the id", async () => {
    const error = await configError(
      loadConfig({
        schema: composed,
        env: { ENCRYPTION_KEYS: `prod:${DEV_KEY_BASE64.replace(/=+$/, '')}` },
        environment: 'production',
        files: false,
      }),
    );
    expect(error.message).toContain('ENCRYPTION_KEYS: holds development key material');
  });
});

describe('checkEnvExample', () => {
  it('accepts the generated text, ignoring CRLF and trailing newlines', () => {
    const text = toEnvExample(schema).replace(/\n/g, '\r\n');
    expect(checkEnvExample(schema, `${text}\r\n`)).toMatchObject({ inSync: true, diff: '' });
  });

  it('shows a readable diff when a key is missing or extra', () => {
    const small = z.object({ A: z.string().describe('First.'), B: z.string() });
    const stale = toEnvExample(small).replace('B=', 'C=');
    const result = checkEnvExample(small, stale);
    expect(result.inSync).toBe(false);
    expect(result.diff).toBe('- B=\n+ C= (line 9)');
  });
});

describe('plinth-config CLI', () => {
  it('prints the example for a module export', async () => {
    const run = io(process.cwd());
    expect(await runCli(['example', `${fixture}#schema`], run.io)).toBe(0);
    expect(run.out.join('')).toBe(toEnvExample(schema));
  });

  it('check exits 0 when in sync and 1 with a diff when not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plinth-cli-'));
    writeFileSync(join(dir, '.env.example'), toEnvExample(schema));
    const good = io(dir);
    expect(await runCli(['check', fixture], good.io)).toBe(0);
    writeFileSync(
      join(dir, 'stale.env'),
      toEnvExample(schema).replace('PORT=3000\n', 'PORT=8080\nEXTRA=1\n'),
    );
    const bad = io(dir);
    expect(await runCli(['check', fixture, '--file', 'stale.env'], bad.io)).toBe(1);
    expect(bad.err.join('')).toContain('- PORT=3000\n+ PORT=8080 (line 10)');
    expect(bad.err.join('')).toContain('+ EXTRA=1 (line 11)');
  });

  it('exits 2 with usage or a clear message on bad input', async () => {
    const run = io(process.cwd());
    expect(await runCli([], run.io)).toBe(2);
    expect(await runCli(['example', `${fixture}#nope`], run.io)).toBe(2);
    expect(await runCli(['example', './does-not-exist.js'], run.io)).toBe(2);
    expect(run.err.join('')).toContain("has no zod object schema as export 'nope'");
    expect(run.err.join('')).toContain('cannot import ./does-not-exist.js');
    const missing = io(mkdtempSync(join(tmpdir(), 'plinth-cli-')));
    expect(await runCli(['check', fixture], missing.io)).toBe(1);
    expect(missing.err.join('')).toContain('cannot read .env.example (ENOENT)');
  });

  it('exits 2 with a clear, scrubbed message for a module that throws or exports a look-alike', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plinth-cli-'));
    writeFileSync(join(dir, 'null.mjs'), 'throw null;\n');
    writeFileSync(
      join(dir, 'leak.mjs'),
      "throw new Error('cannot reach postgres://app:hunter2-pw@db/x');\n",
    );
    writeFileSync(
      join(dir, 'fake.mjs'),
      "export default { _zod: { def: { type: 'object' } } };\n" +
        "export const hostile = new Proxy({}, { get() { throw new Error('trap'); } });\n",
    );
    const run = io(dir);
    expect(await runCli(['example', './null.mjs'], run.io)).toBe(2);
    expect(await runCli(['example', './leak.mjs'], run.io)).toBe(2);
    expect(await runCli(['example', './fake.mjs'], run.io)).toBe(2);
    expect(await runCli(['check', './fake.mjs#hostile'], run.io)).toBe(2);
    const err = run.err.join('');
    expect(err).toContain('cannot import ./null.mjs: a non-Error value was thrown (null)');
    expect(err).toContain('cannot import ./leak.mjs: cannot reach postgres://[redacted]@db/x');
    expect(err).not.toContain('hunter2-pw');
    expect(err).toContain("./fake.mjs has no zod object schema as export 'default' or 'schema'");
    expect(err).toContain('./fake.mjs has no zod object schema as export');
    expect(err).not.toContain('Cannot read properties');
    expect(err).not.toContain('Cannot convert');
  });
});
