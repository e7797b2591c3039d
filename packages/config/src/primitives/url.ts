import { requireOptionsObject } from '@plinth/errors';
import { requireOption } from '../option-guards.js';
import { type EnvPrimitive, envPrimitive, fail, ok } from './env-string.js';

/** Options for {@link url}. */
export interface UrlOptions {
  /** Allowed schemes, with or without the colon. Default `['http', 'https']`. */
  protocols?: readonly string[];
}

/**
 * Absolute URL from an env string with an allowed scheme. The output is the
 * trimmed string (not a `URL` object), so it stays frozen and printable.
 *
 * @example
 * ```ts
 * import { url } from '@plinth/config';
 *
 * const DATABASE_URL = url({ protocols: ['postgres', 'postgresql'] });
 * ```
 */
export function url(options: UrlOptions = {}): EnvPrimitive<string> {
  requireOptionsObject(options, 'url', 'optional protocols');
  const given = options.protocols;
  requireOption(
    given === undefined ||
      (Array.isArray(given) &&
        given.length > 0 &&
        given.every((p) => typeof p === 'string' && /^[a-z][a-z0-9+.-]*:?$/i.test(p))),
    'url',
    'protocols',
    "must be a non-empty array of scheme names, e.g. ['redis', 'rediss']",
  );
  const protocols = (options.protocols ?? ['http', 'https']).map(
    (p) => `${p.toLowerCase().replace(/:$/, '')}:`,
  );
  const reason = `must be a URL with protocol ${protocols.join(' or ')}`;
  return envPrimitive(
    (text) => {
      let parsed: URL;
      try {
        parsed = new URL(text);
      } catch {
        return fail(reason);
      }
      return protocols.includes(parsed.protocol) ? ok(text) : fail(reason);
    },
    { format: String, hint: `URL (${protocols.join(', ')})` },
  );
}
