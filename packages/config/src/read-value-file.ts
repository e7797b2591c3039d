import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

/** Drops trailing `\n`/`\r\n` (as written by `echo` or editors); keeps other whitespace. */
export function trimTrailingNewlines(text: string): string {
  return text.replace(/(?:\r?\n)+$/, '');
}

/** Reads a `_FILE` target. Resolves to the content or to an error code. */
export async function readValueFile(
  path: string,
  cwd: string,
): Promise<{ ok: true; value: string } | { ok: false; code: string }> {
  try {
    return { ok: true, value: trimTrailingNewlines(await readFile(resolve(cwd, path), 'utf8')) };
  } catch (error) {
    return { ok: false, code: (error as NodeJS.ErrnoException).code ?? 'EIO' };
  }
}
