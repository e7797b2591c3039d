import { invalidOptions } from '@plinth/errors';
import type { CheckDefinition } from '../types.js';
import { type BuiltInCheckOptions, withOptions } from './check-options.js';

/** The slice of an ioredis or node-redis client the check uses. */
export interface RedisLike {
  ping(): Promise<string>;
}

/**
 * A readiness check for Redis: `PING` must answer `PONG`.
 *
 * @example
 * ```ts
 * import { createHealth, redisCheck } from '@plinth/health';
 *
 * const health = createHealth({ checks: { redis: redisCheck(redis, { critical: false }) } });
 * ```
 */
export function redisCheck(client: RedisLike, options?: BuiltInCheckOptions): CheckDefinition {
  if (typeof client?.ping !== 'function') {
    throw invalidOptions('redisCheck', { path: 'client', message: 'must have ping()' });
  }
  const check = async () => {
    const reply = await client.ping();
    if (reply !== 'PONG') throw new Error('unexpected reply');
  };
  return withOptions({ check, componentType: 'datastore' }, options);
}
