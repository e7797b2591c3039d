import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { AppError, invalidOptions } from '@plinth/errors';
import { type BuiltInCheckOptions, withOptions } from './checks/check-options.js';
import type { CheckDefinition } from './types.js';

/** The slice of a `KMSClient` the check uses. */
export interface KmsClientLike {
  send(
    command: DescribeKeyCommand,
    options?: { abortSignal?: AbortSignal },
  ): Promise<{ KeyMetadata?: { KeyState?: string; Enabled?: boolean } }>;
}

/** Options of {@link kmsKeyCheck}. */
export interface KmsKeyCheckOptions extends BuiltInCheckOptions {
  /** Key id, ARN or alias (`alias/app-data`). */
  keyId: string;
}

const SAFE_STATE = /^[A-Za-z]{1,32}$/;

/**
 * A check that the KMS key exists, is reachable with the client's credentials
 * and is `Enabled` (`DescribeKey`). A disabled or pending-deletion key fails
 * with its state (`key is Disabled`); a wrong id fails with `not found`.
 *
 * @example
 * ```ts
 * import { createHealth } from '@plinth/health';
 * import { kmsKeyCheck } from '@plinth/health/kms';
 *
 * const health = createHealth({ checks: { kms: kmsKeyCheck(kms, { keyId: 'alias/app-data' }) } });
 * ```
 */
export function kmsKeyCheck(client: KmsClientLike, options: KmsKeyCheckOptions): CheckDefinition {
  const keyId = options?.keyId;
  if (typeof keyId !== 'string' || keyId === '') {
    throw invalidOptions('kmsKeyCheck', {
      path: 'keyId',
      message: 'must be a key id, ARN or alias',
    });
  }
  const check = async (abortSignal: AbortSignal) => {
    const out = await client.send(new DescribeKeyCommand({ KeyId: keyId }), { abortSignal });
    const state = out?.KeyMetadata?.KeyState;
    if (state !== 'Enabled' || out.KeyMetadata?.Enabled === false) {
      const shown = typeof state === 'string' && SAFE_STATE.test(state) ? state : 'unusable';
      throw new AppError(`key is ${shown}`, {
        code: 'HEALTH_KMS_KEY_STATE',
        status: 503,
        expose: true,
      });
    }
  };
  return withOptions({ check, componentType: 'component' }, options);
}
