/**
 * Preload for ESM services: `node --import @plinth/telemetry/register app.js`.
 * Installs the import-in-the-middle loader hook (only for the modules the
 * instrumentations ask for) and starts telemetry from the OTEL_* environment
 * before the app's first import. Reach the handle with `getTelemetry()`.
 *
 * @example
 * ```ts
 * // node --import @plinth/telemetry/register dist/server.js
 * import { getTelemetry } from '@plinth/telemetry';
 *
 * await getTelemetry()?.shutdown();
 * ```
 * @module
 */
import { register } from 'node:module';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { preloadOptions, willExport } from './register-options.js';
import { getActive } from './registry.js';

export { getTelemetry } from './registry.js';

import { startTelemetry } from './start.js';

// A second preload (say, NODE_OPTIONS plus the command line) is a no-op.
if (getActive() === undefined) {
  const options = preloadOptions();
  if (willExport(options)) {
    const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
    register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
    startTelemetry(options);
    await waitForAllMessagesAcknowledged();
  } else {
    startTelemetry(options);
  }
}
