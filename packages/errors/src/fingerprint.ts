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
 */
export function throwSite(stack: string | undefined): string | undefined {
  if (!stack) return undefined;
  for (const line of stack.split('\n')) {
    const m = FRAME.exec(line);
    if (m) return `${normalisePath(m[1]!)}:${m[2]}:${m[3]}`;
  }
  return undefined;
}

/**
 * Fingerprint = first 16 hex chars of SHA-256 over `code + "\n" + throw site`.
 * Same code thrown from the same line and column → same fingerprint, in every
 * process; anything else → a different one.
 */
export function computeFingerprint(code: string, stack: string | undefined): string {
  const site = throwSite(stack) ?? '';
  return createHash('sha256').update(`${code}\n${site}`).digest('hex').slice(0, 16);
}
