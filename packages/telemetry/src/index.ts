// Starting and stopping
export { startTelemetry } from './start.js';
export { getTelemetry } from './registry.js';
export type { TelemetryHandle } from './types.js';

// Options
export type { TelemetryOptions } from './types.js';
export { TELEMETRY_DEFAULTS } from './defaults.js';

// Instrumentations
export type { InstrumentationLike, InstrumentationName, InstrumentationSpec } from './types.js';

// Configuration from the environment
export { telemetryOptionsFromEnv } from './env.js';
