// Probes: createHealth and its options
export type { Health } from './health.js';
export { createHealth } from './health.js';
export type { HealthOptions } from './options.js';
export { HEALTH_DEFAULTS } from './options.js';

// Response format (application/health+json)
export { HEALTH_CONTENT_TYPE } from './response.js';
export type { ComponentResult, HealthBody, HealthResponse, HealthStatus } from './types.js';

// Writing checks
export type { Check, CheckDefinition, CheckFunction, CheckObservation } from './types.js';

// Built-in checks (S3 and KMS live under ./s3 and ./kms)
export type { BuiltInCheckOptions } from './checks/check-options.js';
export type { PostgresLike } from './checks/postgres.js';
export { postgresCheck } from './checks/postgres.js';
export type { RedisLike } from './checks/redis.js';
export { redisCheck } from './checks/redis.js';
export type { HttpCheckOptions } from './checks/http.js';
export { httpCheck } from './checks/http.js';

// Serving the probes over node:http
export type { HealthHandlerOptions, HealthRequestHandler } from './handler.js';
export { createHealthHandler } from './handler.js';

// Graceful shutdown
export type { Shutdown, ShutdownResult } from './shutdown.js';
export { createShutdown } from './shutdown.js';
export type { ShutdownOptions } from './shutdown-options.js';
export { SHUTDOWN_DEFAULTS } from './shutdown-options.js';
export type { ShutdownHook, ShutdownHookInput } from './hooks.js';
export type { ServerLike } from './server-drain.js';

// Shared shapes (structural: the same objects other Plinth packages take)
export type { LoggerLike, ServiceInfo } from '@plinth/internal';
