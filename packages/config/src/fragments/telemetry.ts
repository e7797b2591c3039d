import { num } from '../primitives/numbers.js';
import { url } from '../primitives/url.js';

/**
 * OpenTelemetry keys for `@plinth/telemetry`. Telemetry is disabled when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` is unset.
 *
 * @example
 * ```ts
 * import { loadConfig, telemetryFragment } from '@plinth/config';
 * import { z } from 'zod';
 *
 * const config = await loadConfig({ schema: z.object({ ...telemetryFragment }) });
 * ```
 */
export const telemetryFragment = {
  OTEL_EXPORTER_OTLP_ENDPOINT: url({ protocols: ['http', 'https'] })
    .optional()
    .describe('OTLP/HTTP collector endpoint; telemetry is off when unset.'),
  TELEMETRY_SAMPLE_RATIO: num({ min: 0, max: 1 })
    .default(1)
    .describe('Fraction of traces sampled (parent-based), 0 to 1.'),
};
