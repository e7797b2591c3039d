import { resolve } from 'node:path';
import { isAppError } from '@plinth/errors';
import { type ConfigIssue, keyIssue } from './config-error.js';
import { parseDotenv } from './dotenv.js';
import type { Environment } from './environment.js';
import type { ConfigProvider, ProviderKey } from './provider.js';
import { readConfigFile } from './read-value-file.js';

/** One source of raw values, in precedence order (first wins). */
export interface Layer {
  name: string;
  values: ReadonlyMap<string, string>;
  /** Whether `KEY_FILE` indirection is honoured in this layer. */
  fileIndirection: boolean;
}

export function envLayer(env: Readonly<Record<string, string | undefined>>): Layer {
  const values = new Map<string, string>();
  for (const [key, value] of Object.entries(env)) {
    if (typeof value === 'string') values.set(key, value);
  }
  return { name: 'the environment', values, fileIndirection: true };
}

/** Reads `.env` files; a missing file is skipped, anything else is an issue naming the file. */
export async function fileLayers(
  files: readonly string[],
  cwd: string,
  issues: ConfigIssue[],
): Promise<Layer[]> {
  const layers: Layer[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readConfigFile(resolve(cwd, file));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
      if (code !== 'ENOENT')
        issues.push(keyIssue(file, 'unreadable', `cannot read the file (${code})`));
      continue;
    }
    const parsed = parseDotenv(text);
    for (const { line, reason } of parsed.problems) {
      issues.push(keyIssue(file, 'malformed', `line ${line}: ${reason}`));
    }
    layers.push({ name: file, values: parsed.values, fileIndirection: true });
  }
  // Later files are more specific (.env.production over .env).
  return layers.reverse();
}

/** Calls each provider in order with the keys still unset; a rejection becomes an issue. */
export async function providerLayers(
  providers: readonly ConfigProvider[],
  keys: readonly ProviderKey[],
  environment: Environment,
  issues: ConfigIssue[],
  causes: unknown[],
): Promise<Layer[]> {
  const layers: Layer[] = [];
  let pending = keys;
  for (const provider of providers) {
    const key = `provider:${provider.name}`;
    let result: Readonly<Record<string, unknown>>;
    try {
      result = await provider.load({ keys: pending, environment });
    } catch (error) {
      causes.push(error);
      const why = isAppError(error)
        ? error.message
        : ((error as { code?: string })?.code ?? 'error');
      issues.push(keyIssue(key, 'provider_failed', `failed: ${why}`));
      continue;
    }
    const values = new Map<string, string>();
    for (const { key: name } of pending) {
      const value = result?.[name];
      if (value === undefined) continue;
      if (typeof value === 'string') values.set(name, value);
      else issues.push(keyIssue(name, 'provider_failed', `${key} returned a non-string value`));
    }
    layers.push({ name: key, values, fileIndirection: false });
    pending = pending.filter((k) => !values.has(k.key));
  }
  return layers;
}
