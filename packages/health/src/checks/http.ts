import { AppError, invalidOptions } from '@plinth/errors';
import type { CheckDefinition } from '../types.js';
import { type BuiltInCheckOptions, withOptions } from './check-options.js';

/** Options of {@link httpCheck}. */
export interface HttpCheckOptions extends BuiltInCheckOptions {
  /** Statuses that count as up: a list or a predicate. Default: any 2xx. */
  allowStatus?: readonly number[] | ((status: number) => boolean);
  /** Default `'GET'`. */
  method?: 'GET' | 'HEAD';
  /** Request headers (e.g. an auth token; never reported). Default none. */
  headers?: Record<string, string>;
}

const is2xx = (status: number) => status >= 200 && status < 300;

/**
 * A check for an HTTP dependency. Redirects are not followed (a 3xx is judged
 * by `allowStatus`); the body is discarded; the URL never appears in output.
 * Credentials in the URL are sent as a Basic `Authorization` header.
 *
 * @example
 * ```ts
 * import { createHealth, httpCheck } from '@plinth/health';
 *
 * const health = createHealth({
 *   checks: { billing: httpCheck('http://billing.internal/health/ready', { critical: false }) },
 * });
 * ```
 */
export function httpCheck(url: string | URL, options: HttpCheckOptions = {}): CheckDefinition {
  // A bad URL must not surface as a TypeError carrying the input (and its password).
  const target = URL.canParse(String(url)) ? new URL(url) : undefined;
  if (target?.protocol !== 'http:' && target?.protocol !== 'https:') {
    throw invalidOptions('httpCheck', { path: 'url', message: 'must be an absolute http(s) URL' });
  }
  const allow = options.allowStatus ?? is2xx;
  const isAllowed =
    typeof allow === 'function' ? allow : (status: number) => allow.includes(status);
  const headers: Record<string, string> = { ...options.headers };
  // fetch refuses URLs with credentials: move them to a Basic auth header.
  if (target.username || target.password) {
    const user = decodeURIComponent(target.username);
    const pass = decodeURIComponent(target.password);
    headers.authorization ??= `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    target.username = '';
    target.password = '';
  }
  const href = target.href;
  const check = async (signal: AbortSignal) => {
    const res = await fetch(href, {
      method: options.method ?? 'GET',
      headers,
      redirect: 'manual',
      signal,
    });
    await res.body?.cancel();
    if (!isAllowed(res.status)) {
      throw new AppError(`unexpected status ${res.status}`, {
        code: 'HEALTH_HTTP_STATUS',
        status: 503,
        expose: true,
      });
    }
  };
  return withOptions({ check, componentType: 'component' }, options);
}
