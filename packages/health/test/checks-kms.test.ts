import { DescribeKeyCommand, KMSClient, NotFoundException } from '@aws-sdk/client-kms';
import { createHealth } from '@plinth/health';
import { kmsKeyCheck } from '@plinth/health/kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optionPaths } from './helpers/options-error.js';
import { assertHealthBody } from './helpers/schema.js';

const GOOD = 'alias/app-data';
const WRONG = 'arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000';
const DISABLED = 'alias/old-data';

describe('kmsKeyCheck against a mocked KMSClient', () => {
  const kms = new KMSClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
  const mock = mockClient(kms);

  beforeAll(() => {
    mock
      .on(DescribeKeyCommand)
      .rejects(
        new NotFoundException({
          message: `Key '${WRONG}' does not exist`,
          $metadata: { httpStatusCode: 400 },
        }),
      )
      .on(DescribeKeyCommand, { KeyId: GOOD })
      .resolves({ KeyMetadata: { KeyId: 'k', KeyState: 'Enabled', Enabled: true } })
      .on(DescribeKeyCommand, { KeyId: DISABLED })
      .resolves({ KeyMetadata: { KeyId: 'k2', KeyState: 'Disabled', Enabled: false } });
  });
  afterAll(() => {
    mock.restore();
  });

  it('passes when the key is enabled', async () => {
    const res = await createHealth({ checks: { kms: kmsKeyCheck(kms, { keyId: GOOD }) } }).ready();
    assertHealthBody(res.body);
    expect(res.body.checks?.['kms:responseTime']?.[0]?.status).toBe('pass');
    expect(mock.commandCalls(DescribeKeyCommand, { KeyId: GOOD })).toHaveLength(1);
  });

  it('fails with "not found" for a wrong key id, without echoing the id', async () => {
    const res = await createHealth({ checks: { kms: kmsKeyCheck(kms, { keyId: WRONG }) } }).ready();
    assertHealthBody(res.body);
    expect(res.httpStatus).toBe(503);
    expect(res.body.checks?.['kms:responseTime']?.[0]).toMatchObject({
      status: 'fail',
      output: 'not found',
    });
    expect(JSON.stringify(res.body)).not.toContain('123456789012');
  });

  it('fails with the key state when the key is disabled', async () => {
    const res = await createHealth({
      checks: { kms: kmsKeyCheck(kms, { keyId: DISABLED }) },
    }).ready();
    expect(res.body.checks?.['kms:responseTime']?.[0]).toMatchObject({
      status: 'fail',
      output: 'key is Disabled',
    });
  });

  it('rejects a missing key id', () => {
    expect(optionPaths(() => kmsKeyCheck(kms, { keyId: '' }))).toEqual(['keyId']);
  });
});
