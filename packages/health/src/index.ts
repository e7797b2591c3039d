export type { BuiltInCheckOptions } from './checks/check-options.js';
export type { HttpCheckOptions } from './checks/http.js';
export { httpCheck } from './checks/http.js';
export type { PostgresLike } from './checks/postgres.js';
export { postgresCheck } from './checks/postgres.js';
export type { RedisLike } from './checks/redis.js';
export { redisCheck } from './checks/redis.js';
export type { HealthHandlerOptions, HealthRequestHandler } from './handler.js';
export { closeConnectionAfterResponse, createHealthHandler } from './handler.js';
export type { Health } from './health.js';
export { createHealth } from './health.js';
export type { ShutdownHook, ShutdownHookInput } from './hooks.js';
export type { LoggerLike } from './logger.js';
export type { HealthOptions } from './options.js';
export { HEALTH_DEFAULTS } from './options.js';
export { describeFailure, sanitizeOutput } from './output.js';
export { HEALTH_CONTENT_TYPE } from './response.js';
export type { ServerLike } from './server-drain.js';
export type { Shutdown, ShutdownResult } from './shutdown.js';
export { createShutdown } from './shutdown.js';
export type { ShutdownOptions } from './shutdown-options.js';
export { SHUTDOWN_DEFAULTS } from './shutdown-options.js';
export type {
  Check,
  CheckDefinition,
  CheckFunction,
  CheckObservation,
  ComponentResult,
  HealthBody,
  HealthResponse,
  HealthStatus,
  ServiceInfo,
} from './types.js';
