import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadClientsConfig } from '../src/config.js';
import { createDocumentEncryption } from '../src/documents/encryption.js';
import type { DocumentRecord } from '../src/documents/repository.js';
import { contentHeaders, toDocumentJson } from '../src/documents/routes.js';
import {
  clientDocumentsParams,
  documentParams,
  listDocumentsQuery,
  uploadQuery,
} from '../src/documents/schemas.js';
import { objectKeyOf } from '../src/documents/storage.js';
import { capturingLogger, key, testEnv } from './support.js';

const TENANT = 'abcdefab-cdef-4abc-8def-abcdefabcdef';

const encryptionConfig = async (env: Record<string, string> = {}) =>
  loadClientsConfig({ env: { ...testEnv(), ...env }, files: false });

const record = (overrides: Partial<DocumentRecord> = {}): DocumentRecord => {
  const sha256 = createHash('sha256').update('hello').digest('hex');
  return {
    id: randomUUID(),
    tenantId: TENANT,
    clientId: randomUUID(),
    name: 'report.pdf',
    contentType: 'application/pdf',
    size: 5,
    sha256,
    objectKey: 'tenants/x/documents/y',
    objectVersionId: 'v1',
    createdAt: new Date('2024-01-02T03:04:05.006Z'),
    retainUntil: new Date('2024-02-01T03:04:05.006Z'),
    ...overrides,
  };
};

describe('createDocumentEncryption', () => {
  it('refuses the local key provider in staging and production', () => {
    const { logger } = capturingLogger();
    for (const NODE_ENV of ['staging', 'production'] as const)
      expect(() => createDocumentEncryption({ NODE_ENV, AWS_REGION: 'eu-west-1' }, logger)).toThrow(
        expect.objectContaining({
          code: 'INVALID_OPTIONS',
          message: expect.stringContaining('KMS_KEY_ID'),
        }),
      );
  });

  it('uses AWS KMS when KMS_KEY_ID is set, with a non-critical readiness check', () => {
    const { logger } = capturingLogger();
    const encryption = createDocumentEncryption(
      { NODE_ENV: 'production', AWS_REGION: 'eu-west-1', KMS_KEY_ID: 'alias/client-documents' },
      logger,
    );
    try {
      expect(encryption.provider).toBe('aws-kms');
      expect(encryption.check.critical).toBe(false);
    } finally {
      encryption.close();
    }
  });

  it('falls back to the published development key outside production, and says so', async () => {
    const { logger, lines } = capturingLogger();
    const a = createDocumentEncryption(await encryptionConfig(), logger);
    const b = createDocumentEncryption(await encryptionConfig(), logger);
    expect(a.provider).toBe('local');
    expect(lines.filter((l) => String(l.msg).includes('built-in development key'))).toHaveLength(2);
    // The key is fixed: another instance decrypts what this one encrypted.
    const context = { tenant: TENANT, document: randomUUID() };
    const blob = await a.envelope.encrypt('hello', context);
    expect((await b.envelope.decrypt(blob, context)).toString()).toBe('hello');
    a.close();
    b.close();
  });

  it('wraps with LOCAL_KMS_KEYS when set: quietly, and only that keyring decrypts', async () => {
    const { logger, lines } = capturingLogger();
    const keyring = `m1:${key()}`;
    const mine = createDocumentEncryption(
      await encryptionConfig({ LOCAL_KMS_KEYS: keyring }),
      logger,
    );
    const same = createDocumentEncryption(
      await encryptionConfig({ LOCAL_KMS_KEYS: keyring }),
      logger,
    );
    const other = createDocumentEncryption(
      await encryptionConfig({ LOCAL_KMS_KEYS: `m1:${key()}` }),
      logger,
    );
    expect(lines).toEqual([]);
    const context = { tenant: TENANT, document: randomUUID() };
    const plaintext = randomBytes(1000);
    const blob = await mine.envelope.encrypt(plaintext, context);
    expect(blob.includes(plaintext)).toBe(false);
    expect((await same.envelope.decrypt(blob, context)).equals(plaintext)).toBe(true);
    await expect(other.envelope.decrypt(blob, context)).rejects.toThrow();
    // Bound to its context: the blob of one document does not open as another's.
    await expect(
      same.envelope.decrypt(blob, { ...context, document: randomUUID() }),
    ).rejects.toThrow();
    for (const e of [mine, same, other]) e.close();
  });

  it('checks the local provider by a round trip, never critical', async () => {
    const { logger } = capturingLogger();
    const encryption = createDocumentEncryption(await encryptionConfig(), logger);
    expect(encryption.check.critical).toBe(false);
    await expect(encryption.check.check(new AbortController().signal)).resolves.toBeUndefined();
    encryption.close();
  });
});

describe('document JSON and download headers', () => {
  it('shows exactly the contract fields: no object key, no version id', () => {
    const d = record();
    expect(toDocumentJson(d)).toEqual({
      id: d.id,
      clientId: d.clientId,
      name: 'report.pdf',
      contentType: 'application/pdf',
      size: 5,
      sha256: d.sha256,
      createdAt: '2024-01-02T03:04:05.006Z',
      retainUntil: '2024-02-01T03:04:05.006Z',
    });
  });

  it('sends the stored type, exact length, RFC 9530 digest and no-store', () => {
    expect(contentHeaders(record())).toMatchObject({
      'content-type': 'application/pdf',
      'content-length': '5',
      // sha-256 of "hello", base64 of the bytes (not of the hex).
      'repr-digest': 'sha-256=:LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=:',
      'cache-control': 'no-store',
    });
  });

  it.each([
    ['report.pdf', "attachment; filename*=UTF-8''report.pdf"],
    ['a b.pdf', "attachment; filename*=UTF-8''a%20b.pdf"],
    ["O'Brien (final)*.pdf", "attachment; filename*=UTF-8''O%27Brien%20%28final%29%2A.pdf"],
    ['résumé.pdf', "attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf"],
    ['"quoted";\r\nx.pdf', "attachment; filename*=UTF-8''%22quoted%22%3B%0D%0Ax.pdf"],
  ])('encodes the name %j as plain ASCII (RFC 8187)', (name, disposition) => {
    const header = contentHeaders(record({ name }))['content-disposition'];
    expect(header).toBe(disposition);
    expect(header).toMatch(/^[\x21-\x7e ]+$/);
  });
});

describe('document schemas', () => {
  it('lists 50 by default, 1 to 100 at a time', () => {
    expect(listDocumentsQuery.parse({})).toEqual({ limit: 50 });
    expect(listDocumentsQuery.parse({ limit: '100', cursor: 'c' })).toEqual({
      limit: 100,
      cursor: 'c',
    });
    for (const limit of ['0', '101', '1.5', 'ten'])
      expect(listDocumentsQuery.safeParse({ limit }).success).toBe(false);
    expect(listDocumentsQuery.safeParse({ cursor: '' }).success).toBe(false);
    expect(listDocumentsQuery.safeParse({ cursor: 'c'.repeat(129) }).success).toBe(false);
  });

  it('takes a file name as free text: trimmed, at most 255, no controls', () => {
    expect(uploadQuery.parse({ name: '  scan.png ' })).toEqual({ name: 'scan.png' });
    expect(uploadQuery.safeParse({ name: 'x'.repeat(256) }).success).toBe(false);
    expect(uploadQuery.safeParse({ name: 'a\nb.pdf' }).success).toBe(false);
    expect(uploadQuery.safeParse({ name: 'evil\u202Efdp.exe' }).success).toBe(false);
    expect(uploadQuery.safeParse({}).success).toBe(false);
  });

  it('lower-cases ids in paths, refusing anything else', () => {
    expect(clientDocumentsParams.parse({ id: TENANT.toUpperCase() })).toEqual({ id: TENANT });
    expect(documentParams.parse({ docId: TENANT.toUpperCase() })).toEqual({ docId: TENANT });
    expect(documentParams.safeParse({ docId: '../etc/passwd' }).success).toBe(false);
  });

  it('keys objects by tenant and document only', () => {
    const id = randomUUID();
    expect(objectKeyOf(TENANT, id)).toBe(`tenants/${TENANT}/documents/${id}`);
  });
});
