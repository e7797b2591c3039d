import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';

/** Largest `.env`, `_FILE` or secret file read (1 MiB): secrets and certificates are far smaller. */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;

function refusal(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(code), { code });
}

/**
 * Reads a configuration file as UTF-8, refusing anything that is not a
 * regular file (a directory is `EISDIR`; a FIFO or device such as
 * `/dev/zero` would block or never end) or is larger than
 * {@link MAX_CONFIG_FILE_BYTES}. Rejects with an error carrying a `code`.
 */
export async function readConfigFile(path: string): Promise<string> {
  const info = await stat(path);
  if (info.isDirectory()) throw refusal('EISDIR');
  if (!info.isFile()) throw refusal('not a regular file');
  if (info.size > MAX_CONFIG_FILE_BYTES) throw refusal('larger than 1 MiB');
  return readFile(path, 'utf8');
}

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
    return { ok: true, value: trimTrailingNewlines(await readConfigFile(resolve(cwd, path))) };
  } catch (error) {
    return { ok: false, code: (error as NodeJS.ErrnoException).code ?? 'EIO' };
  }
}
