import { join } from 'node:path';
import { AppError, requireOptionsObject } from '@plinth/errors';
import { requireOption } from './option-guards.js';
import type { ConfigProvider, ProviderKey } from './provider.js';
import { readConfigFile, trimTrailingNewlines } from './read-value-file.js';

/** Options for {@link fileProvider}. */
export interface FileProviderOptions {
  /** Directory holding one file per key. Default `/run/secrets` (Docker/Kubernetes). */
  directory?: string;
  /** Maps a key to its file name. Default: the key itself. */
  fileName?: (key: string) => string;
  /** Which keys to look up. Default: all requested keys. */
  include?: (key: ProviderKey) => boolean;
}

const ABSENT = new Set(['ENOENT', 'ENOTDIR']);

/**
 * A provider reading one file per key from a directory (Docker and
 * Kubernetes secret mounts). A missing file means "not set"; any other read
 * error rejects with the key and path (never the content). Trailing newlines
 * are trimmed.
 *
 * @example
 * ```ts
 * import { fileProvider, loadConfig } from '@plinth/config';
 * import { schema } from './config-schema.js';
 *
 * const config = await loadConfig({
 *   schema,
 *   providers: [fileProvider({ directory: '/run/secrets', fileName: (k) => k.toLowerCase() })],
 * });
 * ```
 */
export function fileProvider(options: FileProviderOptions = {}): ConfigProvider {
  requireOptionsObject(options, 'fileProvider', 'optional directory, fileName and include');
  const { directory: dir, fileName: name, include: inc } = options;
  requireOption(
    dir === undefined || (typeof dir === 'string' && dir.length > 0),
    'fileProvider',
    'directory',
    'must be a path',
  );
  requireOption(
    name === undefined || typeof name === 'function',
    'fileProvider',
    'fileName',
    'must be a function',
  );
  requireOption(
    inc === undefined || typeof inc === 'function',
    'fileProvider',
    'include',
    'must be a function',
  );
  const directory = options.directory ?? '/run/secrets';
  const fileName = options.fileName ?? ((key: string) => key);
  const include = options.include ?? (() => true);
  return {
    name: 'files',
    async load({ keys }) {
      const values: Record<string, string> = {};
      for (const entry of keys.filter(include)) {
        const path = join(directory, fileName(entry.key));
        try {
          values[entry.key] = trimTrailingNewlines(await readConfigFile(path));
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
          if (ABSENT.has(code)) continue;
          throw new AppError(`cannot read ${path} for ${entry.key} (${code})`, {
            code: 'CONFIG_PROVIDER_FAILED',
            status: 500,
          });
        }
      }
      return values;
    },
  };
}
