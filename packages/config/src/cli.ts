#!/usr/bin/env node
import { runCli } from './cli-run.js';

runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`plinth-config: ${(error as Error)?.message ?? String(error)}\n`);
    process.exitCode = 2;
  },
);
