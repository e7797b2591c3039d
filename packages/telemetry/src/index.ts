export { TELEMETRY_DEFAULTS } from './defaults.js';
export { telemetryOptionsFromEnv } from './env.js';
export { getTelemetry } from './registry.js';
export { startTelemetry } from './start.js';
export type {
  InstrumentationLike,
  InstrumentationName,
  InstrumentationSpec,
  TelemetryHandle,
  TelemetryOptions,
} from './types.js';
