#!/usr/bin/env node
// Writes .env.example from the configuration schema, or with --check fails
// (exit 1, with a line diff) when the committed file no longer matches it.
// Reads the built schema: run `pnpm build` first.
import { readFile, writeFile } from 'node:fs/promises';
import { checkEnvExample, toEnvExample } from '@plinth/config';
import { clientsConfigSchema } from '../dist/config.js';

const file = new URL('../.env.example', import.meta.url);

if (process.argv.includes('--check')) {
  const text = await readFile(file, 'utf8').catch(() => '');
  const result = checkEnvExample(clientsConfigSchema, text);
  if (!result.inSync) {
    console.error(`.env.example is out of date (- expected, + found):\n${result.diff}`);
    console.error('Regenerate it with: pnpm --filter @plinth-example/clients-core env:example');
    process.exitCode = 1;
  }
} else {
  await writeFile(file, toEnvExample(clientsConfigSchema));
}
