import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';

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
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

/** The object's bytes, or `undefined` when it does not exist. */
export async function getBytes(
  client: S3ClientLike,
  bucket: string,
  key: string,
): Promise<Buffer | undefined> {
  try {
    const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from(await res.Body!.transformToByteArray());
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
