import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { checkEnvExample } from '@plinth/config';
import { describe, expect, it } from 'vitest';
import { clientsConfigSchema, loadClientsConfig } from '../src/config.js';

const key = () => randomBytes(32).toString('base64');
const testEnv = () => ({
  NODE_ENV: 'test',
  ENCRYPTION_KEYS: `k1:${key()}`,
  BLIND_INDEX_KEY: key(),
  AUTH_JWT_SECRET: 'a-test-secret-of-at-least-32-bytes!!',
});
const productionEnv = () => ({
  ...testEnv(),
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://clients@db.internal:5432/clients',
  AUTH_ISSUER: 'https://id.example.com/',
  AUTH_AUDIENCE: 'clients-api',
  S3_BUCKET: 'acme-client-documents',
  AWS_REGION: 'eu-west-1',
  KMS_KEY_ID: 'alias/client-documents',
});
const load = (env: Record<string, string | undefined>) => loadClientsConfig({ env, files: false });
const keysOf = async (env: Record<string, string | undefined>) => {
  const err = await load(env).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toMatchObject({ code: 'CONFIG_INVALID' });
  return (err as { issues: { key: string }[] }).issues.map((i) => i.key);
};

describe('configuration', () => {
  it('keeps .env.example in sync with the schema', () => {
    const text = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
    const result = checkEnvExample(clientsConfigSchema, text);
    expect(result.diff).toBe('');
  });

  it('loads a minimal test environment with the documented defaults', async () => {
    const config = await load({ ...testEnv(), PORT: '0' });
    expect(config).toMatchObject({
      PORT: 0,
      HOST: '127.0.0.1',
      MIGRATE_ON_START: false,
      DOCUMENT_RETENTION_DAYS: 30,
      S3_BUCKET: 'clients-documents',
      RATE_LIMIT_ENABLED: true,
      AUTH_ISSUER: 'plinth-test',
      HTTP_REQUEST_TIMEOUT: 300_000,
      HTTP_HEADERS_TIMEOUT: 60_000,
      HTTP_KEEP_ALIVE_TIMEOUT: 72_000,
    });
    expect(config.REDIS_URL).toBeUndefined();
  });

  it('serves the docs UI outside production and not in production, unless DOCS_ENABLED says', async () => {
    const docs = async (env: Record<string, string | undefined>) => (await load(env)).DOCS_ENABLED;
    expect(await docs(testEnv())).toBe(true);
    expect(await docs({ ...productionEnv(), NODE_ENV: 'staging' })).toBe(true);
    expect(await docs(productionEnv())).toBe(false);
    expect(await docs({ ...productionEnv(), DOCS_ENABLED: 'true' })).toBe(true);
    expect(await docs({ ...testEnv(), DOCS_ENABLED: 'false' })).toBe(false);
  });

  it('refuses a headers timeout longer than the request timeout, as Node would at start', async () => {
    const env = { ...testEnv(), HTTP_REQUEST_TIMEOUT: '10s', HTTP_HEADERS_TIMEOUT: '20s' };
    expect(await keysOf(env)).toEqual(['HTTP_HEADERS_TIMEOUT']);
  });

  it('needs exactly one of AUTH_JWT_SECRET and AUTH_JWKS_URL', async () => {
    const neither = { ...testEnv(), AUTH_JWT_SECRET: undefined };
    const both = { ...testEnv(), AUTH_JWKS_URL: 'https://id.example.com/jwks.json' };
    expect(await keysOf(neither)).toEqual(['AUTH_JWT_SECRET']);
    expect(await keysOf(both)).toEqual(['AUTH_JWT_SECRET']);
  });

  it('loads a complete production environment', async () => {
    const config = await load(productionEnv());
    expect(config.HOST).toBe('0.0.0.0');
    expect(config.KMS_KEY_ID).toBe('alias/client-documents');
  });

  it('refuses the local key provider in production', async () => {
    expect(await keysOf({ ...productionEnv(), KMS_KEY_ID: undefined })).toEqual(['KMS_KEY_ID']);
    expect(await keysOf({ ...productionEnv(), LOCAL_KMS_KEYS: `m1:${key()}` })).toEqual([
      'LOCAL_KMS_KEYS',
    ]);
  });

  it('requires a database in staging', async () => {
    expect(
      await keysOf({ ...productionEnv(), NODE_ENV: 'staging', DATABASE_URL: undefined }),
    ).toEqual(['DATABASE_URL']);
  });

  it('refuses development values in production without echoing them', async () => {
    const env = { ...productionEnv(), CORS_ORIGINS: '*', S3_BUCKET: undefined };
    const err = (await load(env).then(
      () => undefined,
      (e: unknown) => e,
    )) as { issues: { key: string }[]; message: string };
    expect(err.issues.map((i) => i.key)).toEqual(['CORS_ORIGINS', 'S3_BUCKET']);
    expect(err.message).not.toContain(env.ENCRYPTION_KEYS.slice(3));
  });

  it('refuses a LOCAL_KMS_KEYS that is not a keyring', async () => {
    expect(await keysOf({ ...testEnv(), LOCAL_KMS_KEYS: 'not-a-keyring' })).toEqual([
      'LOCAL_KMS_KEYS',
    ]);
  });
});
