import { createHash, createHmac, generateKeyPairSync } from 'node:crypto';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createS3Archive, verifyArchive } from '@plinth/audit/s3';
import { startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asSystem, event, setupAudit } from './helpers.js';

describe('S3 archive (fauxqs)', () => {
  let t: Awaited<ReturnType<typeof setupAudit>>;
  let server: Awaited<ReturnType<typeof startFauxqs>>;
  let client: S3Client;
  const headers: Record<string, string>[] = [];
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const signer = { algorithm: 'ed25519' as const, keyId: 'a1', privateKey };
  const verifiers = [{ algorithm: 'ed25519' as const, keyId: 'a1', publicKey }];

  beforeAll(async () => {
    t = await setupAudit('audit_archive');
    server = await startFauxqs({ port: 0, logger: false });
    server.createBucket('audit');
    client = new S3Client({
      endpoint: `http://127.0.0.1:${server.port}`,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test-secret-key' },
    });
    client.middlewareStack.add(
      (next) => async (args) => {
        headers.push({ ...(args.request as { headers: Record<string, string> }).headers });
        return next(args);
      },
      { step: 'finalizeRequest' },
    );
    for (let i = 1; i <= 25; i++) await t.audit.writer.record(event(i, { tenantId: 'arch' }));
    for (let i = 1; i <= 5; i++) await t.audit.writer.record(event(i, { tenantId: 'other' }));
    for (let i = 1; i <= 3; i++) await t.audit.writer.record(event(i, { tenantId: null }));
    await t.audit.writer.flush();
  });
  afterAll(async () => {
    client.destroy();
    await server.stop();
    await t.audit.writer.close();
    await t.dispose();
  });

  it('exports closed ranges as chained, signed segments that verify', async () => {
    const archive = createS3Archive({
      log: t.sys,
      client,
      bucket: 'audit',
      signer,
      objectLock: { mode: 'COMPLIANCE', retainDays: 30 },
    });
    expect(await archive.archive({ tenantId: 'arch', toSeq: 10 })).toMatchObject({
      fromSeq: 1,
      toSeq: 10,
      events: 10,
    });
    expect(await archive.archive({ tenantId: 'arch' })).toMatchObject({
      fromSeq: 11,
      toSeq: 25,
      events: 15,
    });
    expect(await archive.archive({ tenantId: 'arch' })).toBeNull();
    expect(headers.some((h) => h['x-amz-object-lock-mode'] === 'COMPLIANCE')).toBe(true);
    expect(headers.some((h) => 'x-amz-object-lock-retain-until-date' in h)).toBe(true);

    expect(await verifyArchive({ client, bucket: 'audit', tenantId: 'arch', verifiers })).toEqual({
      ok: true,
      segments: 2,
      events: 25,
      badKey: null,
      firstBadSeq: null,
      reason: null,
    });
  });

  it('catches a tampered segment', async () => {
    const archive = createS3Archive({
      log: t.sys,
      client,
      bucket: 'audit',
      prefix: 'tampered',
      signer,
    });
    const first = await archive.archive({ tenantId: 'other' });
    const key = first!.segmentKey;
    const body = await (
      await client.send(new GetObjectCommand({ Bucket: 'audit', Key: key }))
    ).Body!.transformToString();
    await client.send(
      new PutObjectCommand({
        Bucket: 'audit',
        Key: key,
        Body: body.replace('"success"', '"failure"'),
      }),
    );
    expect(
      await verifyArchive({
        client,
        bucket: 'audit',
        prefix: 'tampered',
        tenantId: 'other',
        verifiers,
      }),
    ).toMatchObject({ ok: false, reason: 'segment-hash', badKey: key, firstBadSeq: 1 });
  });

  it('reports a digest replaced by JSON null as unreadable instead of crashing', async () => {
    const archive = createS3Archive({
      log: t.sys,
      client,
      bucket: 'audit',
      prefix: 'nulled',
      signer,
    });
    const { digestKey } = (await archive.archive({ tenantId: 'other' }))!;
    await client.send(new PutObjectCommand({ Bucket: 'audit', Key: digestKey, Body: 'null' }));
    expect(
      await verifyArchive({
        client,
        bucket: 'audit',
        prefix: 'nulled',
        tenantId: 'other',
        verifiers,
      }),
    ).toMatchObject({ ok: false, reason: 'digest-unreadable', badKey: digestKey });
  });

  it('rejects archive options that would weaken retention or verify nothing, naming each', async () => {
    const err = (() => {
      try {
        createS3Archive({
          log: t.sys,
          client,
          bucket: 'audit',
          signer,
          maxEvents: 0,
          objectLock: { mode: 'COMPLIANCE', retainDays: 0.5 },
        });
      } catch (e) {
        return e as { code: string; status: number; issues: { path: string }[] };
      }
    })();
    expect(err).toMatchObject({ code: 'INVALID_OPTIONS', status: 500 });
    expect(err?.issues.map((i) => i.path)).toEqual(['maxEvents', 'objectLock.retainDays']);
    await expect(
      verifyArchive({ client, bucket: 'audit', verifiers } as never),
    ).rejects.toMatchObject({ code: 'INVALID_OPTIONS', issues: [{ path: 'tenantId' }] });
  });

  it('rejects digests signed by an unknown key', async () => {
    const other = generateKeyPairSync('ed25519');
    expect(
      await verifyArchive({
        client,
        bucket: 'audit',
        tenantId: 'arch',
        verifiers: [{ algorithm: 'ed25519', keyId: 'a1', publicKey: other.publicKey }],
      }),
    ).toMatchObject({ ok: false, reason: 'digest-signature' });
  });

  it('signs with HMAC-SHA256 too', async () => {
    const key = Buffer.alloc(32, 9);
    const archive = createS3Archive({
      log: t.sys,
      client,
      bucket: 'audit',
      prefix: 'hmac',
      signer: { algorithm: 'hmac-sha256', keyId: 'h1', key },
    });
    await archive.archive({ tenantId: 'arch' });
    const ok = await verifyArchive({
      client,
      bucket: 'audit',
      prefix: 'hmac',
      tenantId: 'arch',
      verifiers: [{ algorithm: 'hmac-sha256', keyId: 'h1', key }],
    });
    expect(ok).toMatchObject({ ok: true, events: 25 });
  });

  it('rejects a bad tenant or toSeq with INVALID_OPTIONS, and archives nothing for an empty range', async () => {
    const archive = createS3Archive({ log: t.sys, client, bucket: 'audit', signer });
    for (const request of [
      { tenantId: '' },
      { tenantId: 5 },
      { tenantId: 'arch', toSeq: Number.NaN },
      { tenantId: 'arch', toSeq: 0 },
      { tenantId: 'arch', toSeq: 1.5 },
    ]) {
      await expect(archive.archive(request as never)).rejects.toMatchObject({
        code: 'INVALID_OPTIONS',
      });
    }
    expect(await archive.archive({ tenantId: 'never-recorded' })).toBeNull();
  });

  it('refuses a signer that is not an Ed25519 private key or a 32-byte HMAC key', () => {
    for (const bad of [
      { algorithm: 'ed25519', keyId: 'x', privateKey: publicKey },
      { algorithm: 'rsa', keyId: 'x', privateKey },
      { algorithm: 'hmac-sha256', keyId: 'x', key: Buffer.alloc(16) },
    ]) {
      expect(() =>
        createS3Archive({ log: t.sys, client, bucket: 'audit', signer: bad as never }),
      ).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    }
  });
  /** Every object key under a prefix (to prove a refused archive wrote nothing). */
  const objectKeys = async (prefix: string) =>
    (
      (await client.send(new ListObjectsV2Command({ Bucket: 'audit', Prefix: `${prefix}/` })))
        .Contents ?? []
    ).map((o) => o.Key);
  const copyObject = async (from: string, to: string) => {
    const body = await (
      await client.send(new GetObjectCommand({ Bucket: 'audit', Key: from }))
    ).Body!.transformToString();
    await client.send(new PutObjectCommand({ Bucket: 'audit', Key: to, Body: body }));
  };

  it('refuses to chain onto a newest digest signed by another key, and writes nothing', async () => {
    const attacker = generateKeyPairSync('ed25519').privateKey;
    // A forged digest that claims the whole chain (would silently stop archiving) and one that
    // claims only part of it (would misdirect the next segment).
    for (const [prefix, toSeq] of [
      ['forged-stop', 25],
      ['forged-skip', 10],
    ] as const) {
      await createS3Archive({
        log: t.sys,
        client,
        bucket: 'audit',
        prefix,
        signer: { algorithm: 'ed25519', keyId: 'a1', privateKey: attacker },
      }).archive({ tenantId: 'arch', toSeq });
      const before = await objectKeys(prefix);
      const archive = createS3Archive({ log: t.sys, client, bucket: 'audit', prefix, signer });
      await expect(archive.archive({ tenantId: 'arch' })).rejects.toMatchObject({
        code: 'AUDIT_ARCHIVE_TAMPERED',
        status: 500,
        context: { problem: 'signature' },
      });
      expect(await objectKeys(prefix)).toEqual(before);
    }
  });

  it('refuses a genuine digest copied under a later name or from another tenant', async () => {
    const archive = (prefix: string) =>
      createS3Archive({ log: t.sys, client, bucket: 'audit', prefix, signer });
    const copied = await archive('copied').archive({ tenantId: 'arch', toSeq: 10 });
    await copyObject(copied!.digestKey, 'copied/arch/digests/0000000000000020.json');
    await expect(archive('copied').archive({ tenantId: 'arch' })).rejects.toMatchObject({
      code: 'AUDIT_ARCHIVE_TAMPERED',
      context: { problem: 'key' },
    });
    const cross = await archive('cross').archive({ tenantId: 'other' });
    await copyObject(cross!.digestKey, 'cross/arch/digests/0000000000000005.json');
    const before = await objectKeys('cross/arch');
    await expect(archive('cross').archive({ tenantId: 'arch' })).rejects.toMatchObject({
      code: 'AUDIT_ARCHIVE_TAMPERED',
      context: { problem: 'tenant' },
    });
    expect(await objectKeys('cross/arch')).toEqual(before);
  });

  it('refuses an unreadable newest digest', async () => {
    const archive = createS3Archive({
      log: t.sys,
      client,
      bucket: 'audit',
      prefix: 'junk',
      signer,
    });
    await archive.archive({ tenantId: 'arch', toSeq: 5 });
    await client.send(
      new PutObjectCommand({
        Bucket: 'audit',
        Key: 'junk/arch/digests/0000000000000005.json',
        Body: '',
      }),
    );
    await expect(archive.archive({ tenantId: 'arch' })).rejects.toMatchObject({
      code: 'AUDIT_ARCHIVE_TAMPERED',
      context: { problem: 'unreadable' },
    });
  });

  it('chains onto a digest signed by a rotated-out key only when it is listed in verifiers', async () => {
    const old = generateKeyPairSync('ed25519');
    await createS3Archive({
      log: t.sys,
      client,
      bucket: 'audit',
      prefix: 'rotate',
      signer: { algorithm: 'ed25519', keyId: 'a0', privateKey: old.privateKey },
    }).archive({ tenantId: 'arch', toSeq: 10 });
    const base = { log: t.sys, client, bucket: 'audit', prefix: 'rotate', signer };
    await expect(createS3Archive(base).archive({ tenantId: 'arch' })).rejects.toMatchObject({
      code: 'AUDIT_ARCHIVE_TAMPERED',
    });
    const oldVerifier = { algorithm: 'ed25519' as const, keyId: 'a0', publicKey: old.publicKey };
    expect(
      await createS3Archive({ ...base, verifiers: [oldVerifier] }).archive({ tenantId: 'arch' }),
    ).toMatchObject({ fromSeq: 11, toSeq: 25 });
    expect(
      await verifyArchive({
        client,
        bucket: 'audit',
        prefix: 'rotate',
        tenantId: 'arch',
        verifiers: [oldVerifier, ...verifiers],
      }),
    ).toMatchObject({ ok: true, segments: 2, events: 25 });
  });

  it('reports an S3 response without a body as unreadable instead of crashing', async () => {
    const key = 'audit/arch/digests/0000000000000010.json';
    for (const answer of [undefined, {}, { Body: undefined }, { Body: null }]) {
      const fake = {
        send: async (command: object) =>
          command instanceof ListObjectsV2Command ? { Contents: [{ Key: key }] } : answer,
      };
      expect(
        await verifyArchive({
          client: fake as never,
          bucket: 'audit',
          tenantId: 'arch',
          verifiers,
        }),
      ).toMatchObject({ ok: false, reason: 'digest-unreadable', badKey: key });
    }
  });

  it('rejects an S3 client that answers a listing with nothing with a typed error', async () => {
    const fake = { send: async () => undefined };
    await expect(
      verifyArchive({ client: fake as never, bucket: 'audit', tenantId: 'arch', verifiers }),
    ).rejects.toMatchObject({ code: 'AUDIT_ARCHIVE_S3_RESPONSE' });
    await expect(
      createS3Archive({ log: t.sys, client: fake as never, bucket: 'audit', signer }).archive({
        tenantId: 'arch',
      }),
    ).rejects.toMatchObject({ code: 'AUDIT_ARCHIVE_S3_RESPONSE' });
  });
  it('reports a signed segment line that is not a row as row-hash instead of crashing', async () => {
    const key = Buffer.alloc(32, 7);
    const archive = createS3Archive({
      log: t.sys,
      client,
      bucket: 'audit',
      prefix: 'badline',
      signer: { algorithm: 'hmac-sha256', keyId: 'h1', key },
    });
    const { segmentKey, digestKey } = (await archive.archive({ tenantId: 'other' }))!;
    const segment = 'null\n';
    await client.send(new PutObjectCommand({ Bucket: 'audit', Key: segmentKey, Body: segment }));
    // Re-sign the digest over the new segment, as a holder of the signing key could.
    const digest = JSON.parse(
      await (
        await client.send(new GetObjectCommand({ Bucket: 'audit', Key: digestKey }))
      ).Body!.transformToString(),
    ) as Record<string, unknown>;
    digest.segmentSha256 = createHash('sha256').update(segment).digest('hex');
    const { signature: _old, ...rest } = digest;
    const sorted = Object.fromEntries(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : 1)));
    digest.signature = createHmac('sha256', key).update(JSON.stringify(sorted)).digest('base64');
    await client.send(
      new PutObjectCommand({ Bucket: 'audit', Key: digestKey, Body: JSON.stringify(digest) }),
    );
    expect(
      await verifyArchive({
        client,
        bucket: 'audit',
        prefix: 'badline',
        tenantId: 'other',
        verifiers: [{ algorithm: 'hmac-sha256', keyId: 'h1', key }],
      }),
    ).toMatchObject({ ok: false, reason: 'row-hash', badKey: segmentKey, firstBadSeq: 1 });
  });

  it('archives the no-tenant chain under a folder no tenant id can produce', async () => {
    const archive = createS3Archive({
      log: t.audit.maintenance,
      client,
      bucket: 'audit',
      prefix: 'none',
      signer,
    });
    const result = await asSystem(() => archive.archive({ tenantId: null }));
    expect(result).toMatchObject({ fromSeq: 1, toSeq: 3, events: 3 });
    expect(result?.digestKey.startsWith('none/@none/digests/')).toBe(true);
    const digest = JSON.parse(
      await (
        await client.send(new GetObjectCommand({ Bucket: 'audit', Key: result!.digestKey }))
      ).Body!.transformToString(),
    ) as { tenantId: unknown };
    expect(digest.tenantId).toBeNull();
    const check = { client, bucket: 'audit', prefix: 'none', verifiers };
    expect(await verifyArchive({ ...check, tenantId: null })).toMatchObject({
      ok: true,
      events: 3,
    });
    // A tenant literally named "@none" lives under its escaped name, apart from the chain.
    expect(await verifyArchive({ ...check, tenantId: '@none' })).toMatchObject({ segments: 0 });
  });

  it('refuses to archive from a request context, where reads may not name a chain', async () => {
    const archive = createS3Archive({
      log: t.audit.maintenance,
      client,
      bucket: 'audit',
      prefix: 'request',
      signer,
    });
    await expect(archive.archive({ tenantId: 'arch' })).rejects.toMatchObject({
      code: 'AUDIT_TENANT_NOT_ALLOWED',
    });
  });
});
