import { createHash } from 'node:crypto';

const FRAME = /^\s*at (?:.*? \()?(.*?):(\d+):(\d+)\)?\s*$/;

function normalisePath(file: string): string {
  let path = file.replace(/^file:\/\//, '').replace(/\\/g, '/');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm !== -1) return path.slice(nm + 1);
  const cwd = typeof process !== 'undefined' ? process.cwd().replace(/\\/g, '/') : '';
  if (cwd && path.startsWith(`${cwd}/`)) path = path.slice(cwd.length + 1);
  return path;
}

/**
 * The throw site of an error: the first stack frame, with the path made
 * relative to the working directory (or to `node_modules/`) so the value is
 * the same across machines and restarts. `undefined` when no frame is known.
 *
 * `message` is the error's message: the stack header (`Name: message`) spans
 * as many lines as the message, and those lines are skipped so that a message
 * containing text shaped like a frame cannot change the site.
 */
export function throwSite(stack: unknown, message = ''): string | undefined {
  if (typeof stack !== 'string' || stack === '') return undefined;
  const lines = stack.split('\n');
  const header = typeof message === 'string' ? message.split('\n').length : 1;
  for (let i = header; i < lines.length; i++) {
    const m = FRAME.exec(lines[i]!);
    if (m) return `${normalisePath(m[1]!)}:${m[2]}:${m[3]}`;
  }
  return undefined;
}

/**
 * Fingerprint = first 16 hex chars of SHA-256 over `code + "\n" + site`, where
 * site is `throwSite(...)` or `''` when unknown. Same code thrown from the same
 * line and column → same fingerprint, in every process; anything else → a
 * different one.
 */
export function computeFingerprint(code: string, site: string | undefined): string {
  return createHash('sha256')
    .update(`${code}\n${site ?? ''}`)
    .digest('hex')
    .slice(0, 16);
}

/**
 * Throw sites recorded for errors whose own stack does not point at the real
 * origin (an AppError wrapping a foreign Error records the foreign throw site).
 */
export const recordedSites = new WeakMap<object, string | undefined>();
