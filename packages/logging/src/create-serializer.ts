import { invalidOptions, requireOptionsObject } from '@plinth/errors';
import { createRedaction, type RedactOptions, redactIssues } from './redact.js';

/**
 * The logger's redaction pass on its own, for code that builds log payloads
 * outside pino (HTTP adapters, audit metadata): the `@plinth/errors`
 * engine in copy-on-write mode. Errors anywhere in `value` become
 * `{ type, message, …, stack, cause }`; sensitive keys, `Secret` values and
 * secrets inside strings become `'[redacted]'`. Never mutates `value`;
 * returns it unchanged when nothing needed redacting. Throws an
 * `OptionsError` (`INVALID_OPTIONS`) for `keys`/`paths` that are not arrays
 * or a bad limit.
 *
 * @example
 * ```ts
 * import { createLogSerializer } from '@plinth/logging';
 *
 * const serialize = createLogSerializer({ keys: ['nickname'] });
 * serialize({ err: new Error('boom'), user: { nickname: 'ann' } });
 * ```
 */
export function createLogSerializer(options: RedactOptions = {}): (value: unknown) => unknown {
  const o = requireOptionsObject(options ?? {}, 'createLogSerializer');
  const issues = redactIssues(o, '');
  if (issues.length > 0) throw invalidOptions('createLogSerializer', issues);
  return createRedaction(o).value;
}
