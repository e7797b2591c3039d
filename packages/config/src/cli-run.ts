import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sanitize } from '@plinth/errors';
import type { z } from 'zod';
import { compareEnvExample } from './check-env-example.js';
import { toEnvExample } from './env-example.js';
import { isObjectSchema } from './meta.js';

/** Where the CLI writes; tests pass their own. */
export interface CliIo {
  cwd: string;
  out: (text: string) => void;
  err: (text: string) => void;
}

const USAGE = `Usage:
  plinth-config example <module>[#export]                      print .env.example for a schema
  plinth-config check <module>[#export] [--file .env.example]  exit 1 if the file is out of sync

<module> is a JS module path (e.g. ./dist/config.js); the schema is the named
export after '#', else the default export, else the export named 'schema'.
`;

/** A thrown value as one line, with credentials found by shape (URL userinfo, tokens) redacted. */
function describeThrown(error: unknown): string {
  let text: string;
  try {
    text =
      error instanceof Error ? error.message : `a non-Error value was thrown (${String(error)})`;
  } catch {
    text = 'a value that could not be inspected was thrown';
  }
  return String(sanitize(text));
}

async function loadSchema(spec: string, cwd: string): Promise<z.core.$ZodObject | string> {
  const hash = spec.lastIndexOf('#');
  const path = hash === -1 ? spec : spec.slice(0, hash);
  const name = hash === -1 ? undefined : spec.slice(hash + 1);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(resolve(cwd, path)).href)) as Record<string, unknown>;
  } catch (error) {
    return `cannot import ${path}: ${describeThrown(error)}`;
  }
  const candidates = name === undefined ? ['default', 'schema'] : [name];
  let found: unknown;
  try {
    found = candidates.map((c) => mod[c]).find((value) => value !== undefined);
  } catch (error) {
    return `cannot read the exports of ${path}: ${describeThrown(error)}`;
  }
  if (!isObjectSchema(found)) {
    return `${path} has no zod object schema as export ${candidates.map((c) => `'${c}'`).join(' or ')}`;
  }
  return found;
}

/** Runs `plinth-config` with `args` (without node and script); resolves to the exit code. */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const [command, spec, ...rest] = args;
  if ((command !== 'example' && command !== 'check') || spec === undefined) {
    io.err(USAGE);
    return command === '--help' || command === '-h' ? 0 : 2;
  }
  const fileFlag = rest.indexOf('--file');
  const file = fileFlag === -1 ? '.env.example' : rest[fileFlag + 1];
  if (
    file === undefined ||
    (rest.length > 0 && (command !== 'check' || fileFlag !== 0 || rest.length !== 2))
  ) {
    io.err(USAGE);
    return 2;
  }
  const schema = await loadSchema(spec, io.cwd);
  if (typeof schema === 'string') {
    io.err(`plinth-config: ${schema}\n`);
    return 2;
  }
  let expected: string;
  try {
    expected = toEnvExample(schema);
  } catch (error) {
    io.err(`plinth-config: cannot describe the schema of ${spec}: ${describeThrown(error)}\n`);
    return 2;
  }
  if (command === 'example') {
    io.out(expected);
    return 0;
  }
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, file), 'utf8');
  } catch (error) {
    io.err(
      `plinth-config: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'EIO'})\n`,
    );
    return 1;
  }
  const result = compareEnvExample(expected, text);
  if (result.inSync) {
    io.out(`${file} is in sync with the schema.\n`);
    return 0;
  }
  io.err(`${file} is out of sync with the schema (- expected, + found):\n${result.diff}\n`);
  io.err(`Regenerate it with: plinth-config example ${spec} > ${file}\n`);
  return 1;
}
