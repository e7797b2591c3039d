import { invalidOptions, type OptionIssueInput, requireOptionsObject } from '@plinth/errors';
import { deepFreeze } from '@plinth/internal';
import { z } from 'zod';
import { ConfigError, type ConfigIssue, keyIssue } from './config-error.js';
import { ENVIRONMENTS, type Environment, isEnvironment } from './environment.js';
import type { DeepReadonly } from './freeze.js';
import { decideUnset } from './guards.js';
import { envLayer, fileLayers, providerLayers } from './layers.js';
import { inspectSchema, isObjectSchema, type KeyInfo } from './meta.js';
import { guardValue } from './production-guard.js';
import type { ConfigProvider } from './provider.js';
import { fromZodIssues, type IssueSubject } from './reasons.js';
import { resolveKey } from './resolve-key.js';

/** Any zod 4 object schema (classic or mini), refinements included. */
export type ConfigSchema = z.core.$ZodObject;

/**
 * The frozen config `loadConfig` resolves to for `schema`.
 *
 * @example
 * ```ts
 * import { type InferConfig, port } from '@plinth/config';
 * import { z } from 'zod';
 *
 * const schema = z.object({ PORT: port() });
 * type Config = InferConfig<typeof schema>; // { readonly PORT: number }
 * ```
 */
export type InferConfig<S extends z.core.$ZodType> = DeepReadonly<z.output<S>>;

/** Options of {@link loadConfig}. Every default is listed here. */
export interface LoadConfigOptions<S extends ConfigSchema> {
  /** A zod 4 `z.object(...)`; keys are env variable names. */
  schema: S;
  /** Variables to read. Default `process.env`. Wins over providers and files. */
  env?: Readonly<Record<string, string | undefined>>;
  /** `.env` files, later wins; missing files are skipped. Default `['.env', '.env.<environment>']`; `false` for none. */
  files?: readonly string[] | false;
  /** Async sources (secret stores); earlier wins; they win over files. Default none. */
  providers?: readonly ConfigProvider[];
  /** Directory relative files and `_FILE` paths resolve against. Default `process.cwd()`. */
  cwd?: string;
  /** Overrides the environment. Default `env.NODE_ENV`, else `'development'`. */
  environment?: Environment;
  /** Treat `KEY=` (empty) as unset, so defaults apply. Default `true`. */
  emptyAsUnset?: boolean;
}

/**
 * Only mistakes that would misbehave quietly: a non-object schema (a crash
 * far from the cause), a string `files` (read one file per character), a
 * provider without `load()` (reported as if the secret store had failed).
 */
function checkOptions(options: LoadConfigOptions<ConfigSchema>): void {
  requireOptionsObject(options, 'loadConfig', 'a schema ({ schema: z.object(...) })');
  const issues: OptionIssueInput[] = [];
  if (!isObjectSchema(options.schema)) {
    issues.push({ path: 'schema', message: 'must be a zod 4 object schema (z.object(...))' });
  }
  const { files, providers } = options;
  if (files !== undefined && files !== false && !Array.isArray(files)) {
    issues.push({ path: 'files', message: 'must be an array of paths or false' });
  }
  if (providers !== undefined && !Array.isArray(providers)) {
    issues.push({ path: 'providers', message: 'must be an array of { name, load() } objects' });
  } else if (providers?.some((p) => typeof p?.load !== 'function')) {
    issues.push({ path: 'providers', message: 'must be { name, load() } objects' });
  }
  if (issues.length > 0) throw invalidOptions('loadConfig', issues);
}

/**
 * Loads, validates and deep-freezes configuration. Sources, first wins: the
 * real environment (`KEY` or `KEY_FILE`), providers, `.env.<environment>`,
 * `.env`, per-environment defaults, zod defaults. Every problem is reported
 * at once in one {@link ConfigError}; no value appears in it.
 *
 * @example
 * ```ts
 * import { loadConfig, port, secret } from '@plinth/config';
 * import { z } from 'zod';
 *
 * const config = await loadConfig({
 *   schema: z.object({ PORT: port().default(3000), API_TOKEN: secret() }),
 * });
 * config.PORT; // number
 * config.API_TOKEN.reveal(); // string
 * ```
 */
export async function loadConfig<S extends ConfigSchema>(
  options: LoadConfigOptions<S>,
): Promise<InferConfig<S>> {
  checkOptions(options);
  const { schema } = options;
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const emptyAsUnset = options.emptyAsUnset ?? true;
  const issues: ConfigIssue[] = [];
  const causes: unknown[] = [];

  const requested =
    options.environment ?? (env.NODE_ENV === '' ? undefined : env.NODE_ENV) ?? 'development';
  const environment: Environment = isEnvironment(requested) ? requested : 'production';
  if (!isEnvironment(requested)) {
    issues.push(keyIssue('NODE_ENV', 'environment', `must be one of: ${ENVIRONMENTS.join(', ')}`));
  }

  const shape = schema._zod.def.shape as Record<string, z.core.$ZodType>;
  const infos = new Map<string, KeyInfo>(
    Object.entries(shape).map(([key, s]) => [key, inspectSchema(s)]),
  );
  const defaultFiles = isEnvironment(requested) ? ['.env', `.env.${environment}`] : ['.env'];
  const files = options.files === false ? [] : (options.files ?? defaultFiles);
  const fromEnv = envLayer(env);
  const fromFiles = await fileLayers(files, cwd, issues);
  for (const layer of fromFiles) {
    const value = layer.values.get('NODE_ENV');
    if (value !== undefined && value !== '' && value !== environment) {
      const reason = `is set differently in ${layer.name}; NODE_ENV is read from the real environment only`;
      issues.push(keyIssue('NODE_ENV', 'environment', reason));
    }
  }
  const unset = [...infos].filter(
    ([key]) => !fromEnv.values.has(key) && !fromEnv.values.has(`${key}_FILE`),
  );
  const fromProviders = await providerLayers(
    options.providers ?? [],
    unset.map(([key, info]) => ({ key, secret: info.secret, description: info.description })),
    environment,
    issues,
    causes,
  );
  const layers = [fromEnv, ...fromProviders, ...fromFiles];

  const input: Record<string, unknown> = {};
  const subjects = new Map<string, IssueSubject>();
  for (const [key, info] of infos) {
    const resolved =
      key === 'NODE_ENV'
        ? { kind: 'value' as const, raw: environment }
        : await resolveKey(key, layers, cwd, emptyAsUnset);
    if (resolved.kind === 'issue') {
      issues.push(resolved.issue);
      continue;
    }
    const raw = resolved.kind === 'value' ? resolved.raw : undefined;
    subjects.set(key, { raw, secret: info.secret });
    if (raw !== undefined) {
      input[key] = raw;
      const refusal = await guardValue(key, shape[key] as z.core.$ZodType, info, raw, environment);
      if (refusal !== undefined) issues.push(refusal);
      continue;
    }
    const decision = decideUnset(key, info, environment);
    if (decision.kind === 'input') input[key] = decision.value;
    if (decision.kind === 'issue') issues.push(decision.issue);
  }
  // A key already reported (unreadable, refused, …) gets no second, zod-worded issue.
  const refused = new Set(issues.map((i) => i.key));

  const result = await z.safeParseAsync(schema, input);
  if (!result.success) {
    const fromZod = fromZodIssues(result.error.issues, subjects).filter((i) => !refused.has(i.key));
    issues.push(...fromZod);
  }
  if (issues.length > 0 || !result.success) {
    throw new ConfigError(
      issues,
      causes.length === 0 ? {} : { cause: causes.length === 1 ? causes[0] : causes },
    );
  }
  return deepFreeze(result.data) as InferConfig<S>;
}
