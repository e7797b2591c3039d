import { createRedaction, type RedactOptions } from './redact.js';

/**
 * A standalone version of the logger's redaction pass and error serializer,
 * for code that builds log payloads outside pino (HTTP adapters, audit
 * metadata). Errors anywhere in `value` become {@link SerializedError}s;
 * sensitive keys and `Secret` values become `'[redacted]'`. Never mutates
 * `value`; returns it unchanged when nothing needed redacting.
 *
 * @example
 * ```ts
 * import { createLogSerializer } from '@plinth/logging';
 *
 * const serialize = createLogSerializer({ keys: ['dateOfBirth'] });
 * serialize({ err: new Error('boom'), user: { dateOfBirth: '1990-01-01' } });
 * ```
 */
export function createLogSerializer(options: RedactOptions = {}): (value: unknown) => unknown {
  return createRedaction(options).value;
}
