export type { ClientsApp, ClientsAppOptions } from './app.js';
export { API_VERSION, createClientsApp } from './app.js';
export type { ClientsConfig } from './config.js';
export { clientsConfigSchema, loadClientsConfig } from './config.js';
export type { AppDeps, AppDepsOptions, Feature, OwnedDeps } from './deps.js';
export { createAppDeps, normalizeEmail, SERVICE_NAME } from './deps.js';
export { migrateClientsDatabase, migrationsDirectory, runMigrations } from './migrations.js';
export type { ClientsServerOptions } from './runtime.js';
export {
  exitOnStartupFailure,
  listeningUrl,
  serverOptionsOf,
  shutdownPlan,
  startClientsApp,
  trustProxyOf,
} from './runtime.js';
