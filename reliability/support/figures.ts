import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODE } from './mode.js';

/** One scenario run, as the table in docs/reliability.md shows it. */
export interface FigureRow {
  scenario: string;
  framework: 'fastify' | 'express' | 'in-process';
  sent: number;
  succeeded: number;
  /** Non-2xx by status code, transport failures by code. */
  failed: Record<string, number>;
  /** p99 latency of the scenario's requests; omitted where it has none. */
  p99Ms?: number;
  /** Audit events expected vs stored; omitted where the scenario writes none. */
  audit?: { expected: number; stored: number };
  /** From the fault to the service reporting it (readiness fail, 503s…), ms. */
  detectMs?: number;
  /** From the repair to the service answering normally again, ms. */
  recoverMs?: number;
  /** Anything else worth a figure (peak RSS, exit time…). */
  note?: string;
}

const here = dirname(fileURLToPath(import.meta.url));
export const RESULTS_DIR = join(here, '..', '.results');
export const FIGURES_FILE = join(RESULTS_DIR, 'figures.jsonl');

const HEADER =
  '| scenario | framework | sent | 2xx | failed by status | p99 ms | audit expected / stored | detect ms | recover ms | notes |\n' +
  '|---|---|---:|---:|---|---:|---|---:|---:|---|';

const cell = (v: number | undefined) => (v === undefined ? '–' : String(Math.round(v)));

export function formatRow(r: FigureRow): string {
  const failed =
    Object.entries(r.failed)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, n]) => `${k}: ${n}`)
      .join(', ') || '0';
  const audit = r.audit ? `${r.audit.expected} / ${r.audit.stored}` : '–';
  return `| ${r.scenario} | ${r.framework} | ${r.sent} | ${r.succeeded} | ${failed} | ${r.p99Ms === undefined ? '–' : r.p99Ms.toFixed(1)} | ${audit} | ${cell(r.detectMs)} | ${cell(r.recoverMs)} | ${r.note ?? ''} |`;
}

/** Prints the row (with the header) and appends it to .results/figures.jsonl. */
export function recordFigures(row: FigureRow): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  appendFileSync(
    FIGURES_FILE,
    `${JSON.stringify({ ...row, mode: MODE, at: new Date().toISOString() })}\n`,
  );
  process.stdout.write(`\n${HEADER}\n${formatRow(row)}\n\n`);
}

/** The whole run as a markdown table, in scenario order. */
export function figuresTable(): string {
  if (!existsSync(FIGURES_FILE)) return '(no figures recorded)';
  const rows = readFileSync(FIGURES_FILE, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as FigureRow);
  // In scenario order (files run in whatever order vitest picks); stable within one.
  const order = (r: FigureRow) => Number.parseInt(r.scenario, 10) || 0;
  rows.sort((a, b) => order(a) - order(b));
  return `${HEADER}\n${rows.map(formatRow).join('\n')}`;
}

/** Starts a fresh figures file for a run. */
export function resetFigures(): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(FIGURES_FILE, '');
}
