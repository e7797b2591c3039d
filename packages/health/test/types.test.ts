import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { S3Client } from '@aws-sdk/client-s3';
import type {
  CheckDefinition,
  HealthResponse,
  PostgresLike,
  RedisLike,
  ServerLike,
} from '@plinth/health';
import type { KmsClientLike } from '@plinth/health/kms';
import type { S3ClientLike } from '@plinth/health/s3';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { describe, expectTypeOf, it } from 'vitest';

describe('structural client types', () => {
  it('accept the real clients they stand for', () => {
    expectTypeOf<pg.Pool>().toExtend<PostgresLike>();
    expectTypeOf<pg.Client>().toExtend<PostgresLike>();
    expectTypeOf<{ ping(): Promise<void> }>().toExtend<PostgresLike>();
    expectTypeOf<Redis>().toExtend<RedisLike>();
    expectTypeOf<S3Client>().toExtend<S3ClientLike>();
    expectTypeOf<KMSClient>().toExtend<KmsClientLike>();
    expectTypeOf<HttpServer>().toExtend<ServerLike>();
    expectTypeOf<HttpsServer>().toExtend<ServerLike>();
  });

  it('reject objects that cannot do the job', () => {
    expectTypeOf<{ close(): void }>().not.toExtend<ServerLike>();
    expectTypeOf<{ get(): Promise<string> }>().not.toExtend<RedisLike>();
  });

  it('types the response an adapter writes', () => {
    expectTypeOf<HealthResponse['httpStatus']>().toEqualTypeOf<200 | 503>();
    expectTypeOf<CheckDefinition['check']>().parameter(0).toEqualTypeOf<AbortSignal>();
  });
});
