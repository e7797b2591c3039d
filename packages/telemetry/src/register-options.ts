import { telemetryOptionsFromEnv } from './env.js';
import type { TelemetryOptions } from './types.js';

/** Options for the preload entries: the OTEL_* environment over a package-name default. */
export function preloadOptions(env: NodeJS.ProcessEnv = process.env): TelemetryOptions {
  return telemetryOptionsFromEnv(env, {
    service: {
      name: env.npm_package_name?.trim() || 'unknown_service:node',
      version: env.npm_package_version?.trim() || undefined,
    },
  });
}

/** Whether these options will start the SDK (so the ESM loader hook is worth installing). */
export function willExport(options: TelemetryOptions): boolean {
  return options.enabled !== false && Boolean(options.otlpEndpoint);
}
