import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { isAppError, ServiceUnavailableError } from '@plinth/errors';
import type { CheckDefinition } from '@plinth/health';
import { s3BucketCheck } from '@plinth/health/s3';
import type { Logger } from '@plinth/logging';
import type { ClientsConfig } from '../config.js';

/** Where document blobs live: keys carry tenant and document uuids only, never personal data. */
export const objectKeyOf = (tenantId: string, documentId: string): string =>
  `tenants/${tenantId}/documents/${documentId}`;

/** A stored object. */
export interface StoredObject {
  /** Set when the bucket is versioned (always with Object Lock). */
  readonly versionId: string | undefined;
}

/** The S3 side of documents. */
export interface DocumentStore {
  /**
   * Streams `body` to `key` (multipart above 5 MiB, at most two parts in
   * memory), with Object Lock retention until `retainUntil` when the bucket
   * has Object Lock. If `body` fails, the upload is aborted and nothing is stored.
   */
  put(key: string, body: Readable, retainUntil: Date): Promise<StoredObject>;
  /** The object's bytes as a stream. */
  get(key: string, versionId: string | null): Promise<Readable>;
  /**
   * Deletes the object (that version, when versioned). `bypassRetention` is
   * for undoing an upload whose row could not be stored: it lifts the
   * GOVERNANCE retention this service sets (needs s3:BypassGovernanceRetention).
   */
  remove(key: string, versionId: string | null, bypassRetention?: boolean): Promise<void>;
  readonly check: CheckDefinition;
  close(): void;
}

type StoreConfig = Pick<
  ClientsConfig,
  'S3_BUCKET' | 'S3_ENDPOINT' | 'S3_FORCE_PATH_STYLE' | 'AWS_REGION'
>;

/** Error names S3 and compatible servers use for "this bucket has no Object Lock". */
const NO_OBJECT_LOCK = new Set([
  'ObjectLockConfigurationNotFoundError',
  'ObjectLockConfigurationNotFound',
  'NoSuchObjectLockConfiguration',
  'NotImplemented',
  'InvalidRequest',
]);

const storageUnavailable = (cause: unknown) =>
  new ServiceUnavailableError('Document storage is unavailable; try again later', {
    code: 'DOCUMENT_STORAGE_UNAVAILABLE',
    retryAfterSeconds: 5,
    cause,
  });

/**
 * The document bucket through `@aws-sdk/client-s3` (`S3_ENDPOINT` and
 * `S3_FORCE_PATH_STYLE` for S3-compatible servers; credentials from the SDK's
 * default chain). Whether the bucket has Object Lock is asked once, on first
 * use; retention is then set on every upload in GOVERNANCE mode.
 *
 * @example
 * ```ts
 * const store = createDocumentStore(config, logger);
 * const { versionId } = await store.put(objectKeyOf(tenantId, id), encrypted, retainUntil);
 * ```
 */
export function createDocumentStore(config: StoreConfig, logger: Logger): DocumentStore {
  const client = new S3Client({
    region: config.AWS_REGION,
    ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT } : {}),
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
  });
  const Bucket = config.S3_BUCKET;
  let objectLock: Promise<boolean> | undefined;

  const detectObjectLock = async (): Promise<boolean> => {
    try {
      const out = await client.send(new GetObjectLockConfigurationCommand({ Bucket }));
      const enabled = out.ObjectLockConfiguration?.ObjectLockEnabled === 'Enabled';
      logger.info({ objectLock: enabled }, 'document bucket object lock');
      return enabled;
    } catch (err) {
      const name = (err as { name?: string }).name ?? '';
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      // A missing bucket is a deployment fault, not a bucket without Object Lock: remembering
      // "no lock" would store every later upload without retention once the bucket exists.
      const lockless = name !== 'NoSuchBucket' && (NO_OBJECT_LOCK.has(name) || status === 404);
      if (lockless || status === 501) {
        logger.info({ objectLock: false }, 'document bucket object lock');
        return false;
      }
      // Unknown (network, credentials): ask again next time rather than guess.
      objectLock = undefined;
      throw storageUnavailable(err);
    }
  };

  return {
    async put(key, body, retainUntil) {
      objectLock ??= detectObjectLock();
      const locked = (await objectLock) && retainUntil.getTime() > Date.now();
      const upload = new Upload({
        client,
        queueSize: 2,
        leavePartsOnError: false,
        params: {
          Bucket,
          Key: key,
          Body: body,
          // The object is ciphertext; the real type is in the database.
          ContentType: 'application/octet-stream',
          ...(locked
            ? { ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: retainUntil }
            : {}),
        },
      });
      try {
        const out = await upload.done();
        return { versionId: out.VersionId };
      } catch (err) {
        // The body's own failure (413, a disconnect) passes through; S3's is a 503.
        throw isAppError(err) ? err : storageUnavailable(err);
      }
    },

    async get(key, versionId) {
      try {
        const out = await client.send(
          new GetObjectCommand({
            Bucket,
            Key: key,
            ...(versionId ? { VersionId: versionId } : {}),
          }),
        );
        return out.Body as Readable;
      } catch (err) {
        throw storageUnavailable(err);
      }
    },

    async remove(key, versionId, bypassRetention = false) {
      try {
        await client.send(
          new DeleteObjectCommand({
            Bucket,
            Key: key,
            ...(versionId ? { VersionId: versionId } : {}),
            ...(bypassRetention ? { BypassGovernanceRetention: true } : {}),
          }),
        );
      } catch (err) {
        throw storageUnavailable(err);
      }
    },

    // Non-critical: only the document routes need the bucket; the rest of the API keeps serving.
    check: s3BucketCheck(client, { bucket: Bucket, critical: false }),
    close: () => client.destroy(),
  };
}
