import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { figuresTable, RESULTS_DIR, resetFigures } from './figures.js';
import { MODE } from './mode.js';

/** One figures file per run; at the end the whole table is printed and saved as markdown. */
export function setup() {
  resetFigures();
}

export function teardown() {
  const table = figuresTable();
  writeFileSync(join(RESULTS_DIR, 'figures.md'), `${table}\n`);
  process.stdout.write(`\nReliability figures (${MODE} mode)\n${table}\n\n`);
}
