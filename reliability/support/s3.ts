import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { type FauxqsServer, startFauxqs } from 'fauxqs';

export const S3_CREDENTIALS = { accessKeyId: 'reliability', secretAccessKey: 'reliability-secret' };
export const S3_REGION = 'us-east-1';

export interface LocalS3 {
  readonly server: FauxqsServer;
  readonly endpoint: string;
  readonly port: number;
  readonly bucket: string;
  /** Keys of every object in the bucket (bounded to 10 pages). */
  listKeys(): Promise<string[]>;
  stop(): Promise<void>;
}

/** fauxqs (S3-compatible) in this process, with one empty bucket. */
export async function startLocalS3(bucket = 'reliability-documents'): Promise<LocalS3> {
  const server = await startFauxqs({ port: 0, logger: false, host: '127.0.0.1' });
  server.createBucket(bucket);
  const endpoint = `http://127.0.0.1:${server.port}`;
  const client = new S3Client({
    endpoint,
    region: S3_REGION,
    forcePathStyle: true,
    credentials: S3_CREDENTIALS,
  });
  return {
    server,
    endpoint,
    port: server.port,
    bucket,
    async listKeys() {
      const keys: string[] = [];
      let token: string | undefined;
      for (let page = 0; page < 10; page++) {
        const out = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }),
        );
        for (const o of out.Contents ?? []) if (o.Key) keys.push(o.Key);
        token = out.NextContinuationToken;
        if (!token) break;
      }
      return keys;
    },
    async stop() {
      client.destroy();
      await server.stop();
    },
  };
}
