import { type ConfigIssue, keyIssue } from './config-error.js';
import type { Layer } from './layers.js';
import { readValueFile } from './read-value-file.js';

/** Where a key's raw value came from, or why it could not be read. */
export type Resolved =
  | { kind: 'value'; raw: string; source: string }
  | { kind: 'unset' }
  | { kind: 'issue'; issue: ConfigIssue };

/**
 * Finds the first layer that sets `key` or `key_FILE`. Setting both in one
 * layer is a conflict; a `_FILE` target is read with trailing newlines
 * trimmed; its content never appears in an issue.
 */
export async function resolveKey(
  key: string,
  layers: readonly Layer[],
  cwd: string,
  emptyAsUnset: boolean,
): Promise<Resolved> {
  const present = (value: string | undefined) =>
    value === undefined || (emptyAsUnset && value === '') ? undefined : value;
  const fileKey = `${key}_FILE`;
  for (const layer of layers) {
    const value = present(layer.values.get(key));
    const path = layer.fileIndirection ? present(layer.values.get(fileKey)) : undefined;
    if (value !== undefined && path !== undefined) {
      const reason = `both ${key} and ${fileKey} are set in ${layer.name}; set only one`;
      return { kind: 'issue', issue: keyIssue(key, 'conflict', reason) };
    }
    if (value !== undefined) return { kind: 'value', raw: value, source: layer.name };
    if (path === undefined) continue;
    const read = await readValueFile(path, cwd);
    if (!read.ok) {
      const reason = `cannot read ${fileKey} file ${path} (${read.code})`;
      return { kind: 'issue', issue: keyIssue(key, 'unreadable', reason) };
    }
    if (emptyAsUnset && read.value === '') {
      const issue = keyIssue(key, 'missing', `${fileKey} file ${path} is empty`);
      return { kind: 'issue', issue };
    }
    return { kind: 'value', raw: read.value, source: `${fileKey} (${path})` };
  }
  return { kind: 'unset' };
}
