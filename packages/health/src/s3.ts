import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { invalidOptions } from '@plinth/errors';
import { type BuiltInCheckOptions, withOptions } from './checks/check-options.js';
import type { CheckDefinition } from './types.js';

/** The slice of an `S3Client` the check uses. */
export interface S3ClientLike {
  send(command: HeadBucketCommand, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/** Options of {@link s3BucketCheck}. */
export interface S3BucketCheckOptions extends BuiltInCheckOptions {
  /** Bucket that must exist and be reachable with the client's credentials. */
  bucket: string;
}

/**
 * A check that the bucket exists and is accessible (`HeadBucket`). Fails with
 * `not found`, `access denied`, `connection refused`… never with the endpoint
 * or credentials. `componentId` defaults to nothing: bucket names can be internal.
 *
 * @example
 * ```ts
 * import { createHealth } from '@plinth/health';
 * import { s3BucketCheck } from '@plinth/health/s3';
 *
 * const health = createHealth({ checks: { uploads: s3BucketCheck(s3, { bucket: 'uploads' }) } });
 * ```
 */
export function s3BucketCheck(
  client: S3ClientLike,
  options: S3BucketCheckOptions,
): CheckDefinition {
  const bucket = options?.bucket;
  if (typeof bucket !== 'string' || bucket === '') {
    throw invalidOptions('s3BucketCheck', { path: 'bucket', message: 'must be a bucket name' });
  }
  const check = async (abortSignal: AbortSignal) => {
    await client.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal });
  };
  return withOptions({ check, componentType: 'datastore' }, options);
}
