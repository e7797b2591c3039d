import { S3Client } from '@aws-sdk/client-s3';
import { createHealth } from '@plinth/health';
import { s3BucketCheck } from '@plinth/health/s3';
import { startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from './helpers/closed-port.js';
import { optionPaths } from './helpers/options-error.js';
import { assertHealthBody } from './helpers/schema.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test-secret-key' };

function s3(port: number) {
  return new S3Client({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials,
    maxAttempts: 1,
  });
}

describe('s3BucketCheck against a local S3-compatible server (fauxqs)', () => {
  let server: Awaited<ReturnType<typeof startFauxqs>>;
  let client: S3Client;

  beforeAll(async () => {
    server = await startFauxqs({ port: 0, logger: false });
    server.createBucket('uploads');
    client = s3(server.port);
  });
  afterAll(async () => {
    client.destroy();
    await server.stop();
  });

  it('passes when the bucket exists', async () => {
    const res = await createHealth({
      checks: { uploads: s3BucketCheck(client, { bucket: 'uploads' }) },
    }).ready();
    assertHealthBody(res.body);
    expect(res.body.checks?.['uploads:responseTime']?.[0]).toMatchObject({
      status: 'pass',
      componentType: 'datastore',
    });
  });

  it('fails with "not found" when the bucket is missing', async () => {
    const res = await createHealth({
      checks: { archive: s3BucketCheck(client, { bucket: 'no-such-bucket' }) },
    }).ready();
    assertHealthBody(res.body);
    expect(res.httpStatus).toBe(503);
    expect(res.body.checks?.['archive:responseTime']?.[0]).toMatchObject({
      status: 'fail',
      output: 'not found',
    });
    expect(JSON.stringify(res.body)).not.toContain('no-such-bucket');
  });

  it('fails with "connection refused" when the server is stopped', async () => {
    const down = s3(await closedPort());
    try {
      const res = await createHealth({
        timeoutMs: 3000,
        checks: { uploads: s3BucketCheck(down, { bucket: 'uploads' }) },
      }).ready();
      expect(res.body.checks?.['uploads:responseTime']?.[0]).toMatchObject({
        status: 'fail',
        output: 'connection refused',
      });
      expect(JSON.stringify(res.body)).not.toContain('test-secret-key');
    } finally {
      down.destroy();
    }
  });

  it('rejects a missing bucket name', () => {
    expect(optionPaths(() => s3BucketCheck(client, { bucket: '' }))).toEqual(['bucket']);
  });
});
