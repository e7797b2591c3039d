/**
 * Preload for CommonJS services: `node --require @plinth/telemetry/register app.js`.
 * Starts telemetry from the OTEL_* environment before the app's first
 * `require`; reach the handle with `getTelemetry()`.
 *
 * @example
 * ```ts
 * // node --require @plinth/telemetry/register dist/server.cjs
 * import { getTelemetry } from '@plinth/telemetry';
 *
 * await getTelemetry()?.shutdown();
 * ```
 * @module
 */
import { preloadOptions } from './register-options.js';
import { getActive } from './registry.js';

export { getTelemetry } from './registry.js';

import { startTelemetry } from './start.js';

// A second preload (say, the ESM one already ran) is a no-op.
if (getActive() === undefined) startTelemetry(preloadOptions());
