// Types only, in one file with no imports: each package's bundled .d.ts inlines them.

/**
 * The slice of a pino-style logger Plinth packages call. pino, a pino child,
 * or anything with these methods works; `debug` is optional.
 */
export interface LoggerLike {
  error(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  debug?(obj: object, msg?: string): void;
}

/**
 * Who is running: the one shape every Plinth package takes for service
 * identity (log base fields, telemetry resource, health+json body).
 */
export interface ServiceInfo {
  /** Service name (`service` in logs, `service.name` in telemetry). */
  name: string;
  /** Release version (`version` in logs, `service.version`, health `releaseId`). */
  version?: string;
  /** Deployment environment (`env` in logs, `deployment.environment.name`). */
  environment?: string;
}
