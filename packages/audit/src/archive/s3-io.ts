import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { OptionIssueInput } from '@plinth/errors';
import { InternalError } from '@plinth/errors';

/** The part of an `S3Client` the archive uses. */
export type S3ClientLike = Pick<S3Client, 'send'>;

export async function listKeys(
  client: S3ClientLike,
  bucket: string,
  prefix: string,
): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = (await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    )) as Partial<ListObjectsV2CommandOutput> | undefined;
    // A client or proxy that answers with nothing must not be read as an empty archive.
    if (typeof page !== 'object' || page === null)
      throw new InternalError('The S3 client returned no ListObjectsV2 response', {
        code: 'AUDIT_ARCHIVE_S3_RESPONSE',
      });
    const contents = Array.isArray(page.Contents) ? page.Contents : [];
    for (const o of contents) if (typeof o?.Key === 'string' && o.Key) keys.push(o.Key);
    const next = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    if (page.IsTruncated === true && (typeof next !== 'string' || next === token))
      throw new InternalError('The S3 client returned a truncated listing without a new token', {
        code: 'AUDIT_ARCHIVE_S3_RESPONSE',
      });
    token = next;
  } while (token);
  return keys.sort();
}

/**
 * The object's bytes, or `undefined` when it does not exist. A response without a
 * readable body yields empty bytes, which every caller treats as unreadable content.
 */
export async function getBytes(
  client: S3ClientLike,
  bucket: string,
  key: string,
): Promise<Buffer | undefined> {
  try {
    const res = (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))) as
      | Partial<GetObjectCommandOutput>
      | undefined;
    const body = res?.Body;
    if (typeof body?.transformToByteArray !== 'function') return Buffer.alloc(0);
    return Buffer.from((await body.transformToByteArray()) ?? []);
  } catch (err) {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404) return undefined;
    throw err;
  }
}

export async function putBytes(
  client: S3ClientLike,
  input: Omit<PutObjectCommandInput, 'Body'> & { Body: Buffer },
): Promise<void> {
  await client.send(new PutObjectCommand(input));
}

/** Issues of the S3 part of archive options (`client`, `bucket`, `prefix`), checked once at creation. */
export function s3TargetIssues(options: {
  client?: unknown;
  bucket?: unknown;
  prefix?: unknown;
}): OptionIssueInput[] {
  const issues: OptionIssueInput[] = [];
  if (typeof (options.client as { send?: unknown } | undefined)?.send !== 'function')
    issues.push({ path: 'client', message: 'must be an S3Client (with send)' });
  if (typeof options.bucket !== 'string' || options.bucket.length === 0)
    issues.push({ path: 'bucket', message: 'must be a bucket name' });
  if (options.prefix !== undefined && typeof options.prefix !== 'string')
    issues.push({ path: 'prefix', message: 'must be a string' });
  return issues;
}
