import { generateKeyPairSync } from 'node:crypto';
import { createAuditLog } from '@plinth/audit';
import { createS3Archive, verifyArchive } from '@plinth/audit/s3';
import { isAppError, type OptionsError } from '@plinth/errors';
import { describe, expect, it } from 'vitest';

// No database and no S3 here: every case must be refused at construction, before any I/O.
const fakeDb = {
  query: async () => ({ rows: [], rowCount: 0 }),
  transaction: async () => undefined,
  inTransaction: () => false,
} as never;
const log = { head: async () => ({}), readRange: async () => [] } as never;
const client = { send: async () => ({}) } as never;
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const signer = { algorithm: 'ed25519' as const, keyId: 'a1', privateKey };

/** Runs `fn`, expects the one error for a developer's bad options, and returns it. */
async function optionsError(fn: () => unknown): Promise<OptionsError> {
  try {
    await fn();
  } catch (err) {
    expect(isAppError(err)).toBe(true);
    expect(err).toMatchObject({ status: 500, code: 'INVALID_OPTIONS', expose: false });
    return err as OptionsError;
  }
  throw new Error('expected invalid options to throw');
}
const paths = (err: OptionsError) => err.issues.map((i) => i.path);

describe('createAuditLog option shapes', () => {
  it('refuses a cipher without encrypt and decrypt at creation, not on the first sensitive event', async () => {
    for (const cipher of [{}, 'key', { encrypt() {} }, null]) {
      const err = await optionsError(() => createAuditLog({ db: fakeDb, cipher: cipher as never }));
      expect(paths(err)).toEqual(['cipher']);
      expect(err.message).not.toContain('key');
    }
  });

  it('refuses missing options or a db that is not a Database, instead of a TypeError', async () => {
    await optionsError(() => (createAuditLog as (o?: unknown) => unknown)());
    expect(paths(await optionsError(() => createAuditLog({} as never)))).toEqual(['db']);
    expect(paths(await optionsError(() => createAuditLog({ db: {} as never })))).toEqual(['db']);
  });

  it('accepts a db and cipher of the right shape', () => {
    const cipher = { encrypt: (s: string) => s, decrypt: (s: string) => s };
    expect(() => createAuditLog({ db: fakeDb, cipher })).not.toThrow();
  });
});

describe('createS3Archive option shapes', () => {
  it('refuses null or missing options with INVALID_OPTIONS', async () => {
    await optionsError(() => createS3Archive(null as never));
    await optionsError(() => (createS3Archive as (o?: unknown) => unknown)());
  });

  it('names log, client and bucket when they are missing or the wrong shape', async () => {
    const err = await optionsError(() =>
      createS3Archive({ log: {}, client: {}, bucket: '', signer } as never),
    );
    expect(paths(err)).toEqual(['log', 'client', 'bucket']);
  });

  it('refuses an unreadable Ed25519 private key string without echoing it or the OpenSSL error', async () => {
    const material = 'not-a-pem-SECRET-KEY-MATERIAL';
    const err = await optionsError(() =>
      createS3Archive({
        log,
        client,
        bucket: 'audit',
        signer: { algorithm: 'ed25519', keyId: 'a1', privateKey: material },
      }),
    );
    expect(paths(err)).toEqual(['signer.privateKey']);
    const seen = `${err.message} ${JSON.stringify(err)} ${String(err.stack)} ${String(err.cause)}`;
    expect(seen).not.toContain(material);
    expect(seen).not.toMatch(/OSSL|DECODER/);
  });

  it('refuses a signer that is not an object and a key of the wrong type', async () => {
    for (const bad of [
      null,
      'signer',
      { algorithm: 'hmac-sha256', keyId: 'h', key: 5 },
      { algorithm: 'ed25519', privateKey },
    ]) {
      await optionsError(() =>
        createS3Archive({ log, client, bucket: 'audit', signer: bad as never }),
      );
    }
  });

  it('refuses verifiers that are not a list of readable keys', async () => {
    for (const verifiers of [{}, [null], [{ algorithm: 'ed25519', keyId: 'v', publicKey: 'x' }]]) {
      await optionsError(() =>
        createS3Archive({ log, client, bucket: 'audit', signer, verifiers: verifiers as never }),
      );
    }
  });
});

describe('verifyArchive option shapes', () => {
  const verifiers = [{ algorithm: 'ed25519' as const, keyId: 'a1', publicKey }];

  it('rejects missing or null options with INVALID_OPTIONS, not a TypeError', async () => {
    await optionsError(() => (verifyArchive as (o?: unknown) => Promise<unknown>)());
    await optionsError(() => verifyArchive(null as never));
  });

  it('names client, bucket and verifiers when they are missing, before any S3 call', async () => {
    expect(
      paths(await optionsError(() => verifyArchive({ tenantId: 't1', verifiers } as never))),
    ).toEqual(['client', 'bucket']);
    expect(
      paths(
        await optionsError(() =>
          verifyArchive({ client, bucket: 'audit', tenantId: 't1' } as never),
        ),
      ),
    ).toEqual(['verifiers']);
  });

  it('refuses an unreadable public key string without echoing it', async () => {
    const err = await optionsError(() =>
      verifyArchive({
        client,
        bucket: 'audit',
        tenantId: 't1',
        verifiers: [{ algorithm: 'ed25519', keyId: 'a1', publicKey: 'PUBLIC-KEY-GARBAGE' }],
      }),
    );
    expect(paths(err)).toEqual(['verifiers.0.publicKey']);
    expect(JSON.stringify(err) + err.message).not.toContain('PUBLIC-KEY-GARBAGE');
  });
});

describe('a non-object options argument', () => {
  const calls: [string, (options: unknown) => unknown, string][] = [
    ['createAuditLog', (o) => createAuditLog(o as never), 'a db'],
    ['createS3Archive', (o) => createS3Archive(o as never), 'log, client, bucket and signer'],
    ['verifyArchive', (o) => verifyArchive(o as never), 'client, bucket, tenantId and verifiers'],
  ];
  it.each(calls)(
    '%s reports path options and says what it must hold',
    async (name, call, holds) => {
      for (const options of [undefined, null, 'audit', [], () => ({})]) {
        const err = await optionsError(() => call(options));
        expect(err.issues).toEqual([
          { path: 'options', message: `must be an object with ${holds}`, code: 'invalid_option' },
        ]);
        expect(err.message).toBe(`${name}: options must be an object with ${holds}`);
      }
    },
  );
});
