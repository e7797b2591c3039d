import type { TelemetryLoggerLike } from './types.js';

/** Used when no logger is given: one Node process warning per outage. */
export const processWarningLogger: TelemetryLoggerLike = {
  warn(obj, msg) {
    process.emitWarning(`${msg} ${JSON.stringify(obj)}`, { code: 'PLINTH_TELEMETRY' });
  },
  info() {},
};
