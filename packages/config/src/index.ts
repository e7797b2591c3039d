// Loading
export type { ConfigSchema, InferConfig, LoadConfigOptions } from './load-config.js';
export { loadConfig } from './load-config.js';
export type { DeepReadonly } from './freeze.js';
export type { ConfigIssue, ConfigIssueCode } from './config-error.js';
export { ConfigError } from './config-error.js';
export type { Environment } from './environment.js';
export { ENVIRONMENTS } from './environment.js';

// Secrets and environments
export { isSecret, Secret } from './secret.js';
export type { SecretSchema } from './secret-schema.js';
export { secret } from './secret-schema.js';
export type { EnvironmentDefaults } from './per-env.js';
export { perEnv } from './per-env.js';
export { refuseInProduction } from './production-guard.js';

// Env-string primitives
export type { EnvPrimitive } from './primitives/env-string.js';
export { bool } from './primitives/bool.js';
export type { BytesOptions } from './primitives/bytes.js';
export { bytes } from './primitives/bytes.js';
export type { DurationOptions } from './primitives/duration.js';
export { duration } from './primitives/duration.js';
export type { EnvJson } from './primitives/json.js';
export { json } from './primitives/json.js';
export type { EnvList, ListOptions } from './primitives/list.js';
export { list } from './primitives/list.js';
export type { PortOptions, RangeOptions } from './primitives/numbers.js';
export { int, num, port } from './primitives/numbers.js';
export { oneOf } from './primitives/one-of.js';
export type { UrlOptions } from './primitives/url.js';
export { url } from './primitives/url.js';

// Sources
export type { ConfigProvider, ProviderKey, ProviderRequest } from './provider.js';
export type { FileProviderOptions } from './file-provider.js';
export { fileProvider } from './file-provider.js';

// .env.example
export { toEnvExample } from './env-example.js';
export type { EnvExampleCheck } from './check-env-example.js';
export { checkEnvExample } from './check-env-example.js';
