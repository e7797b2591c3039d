import { randomBytes } from 'node:crypto';
import {
  DecryptCommand,
  DisabledException,
  GenerateDataKeyCommand,
  InvalidCiphertextException,
  KMSClient,
  KMSInternalException,
  NotFoundException,
} from '@aws-sdk/client-kms';
import { createAwsKmsKeyProvider, createEnvelopeCipher } from '@plinth/crypto/kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectCodeAsync, serialised } from './helpers.js';

const ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const kms = mockClient(KMSClient);
const client = new KMSClient({
  region: 'eu-west-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
});

/** A KMS stand-in: wrapped keys are opaque handles bound to their encryption context. */
function fakeKms() {
  const wrapped = new Map<string, { key: Buffer; context: string }>();
  kms.on(GenerateDataKeyCommand).callsFake((input) => {
    const key = randomBytes(32);
    const handle = randomBytes(24);
    wrapped.set(handle.toString('hex'), {
      key,
      context: JSON.stringify(input.EncryptionContext ?? {}),
    });
    return { Plaintext: new Uint8Array(key), CiphertextBlob: new Uint8Array(handle), KeyId: ARN };
  });
  kms.on(DecryptCommand).callsFake((input) => {
    const entry = wrapped.get(Buffer.from(input.CiphertextBlob!).toString('hex'));
    if (entry === undefined || entry.context !== JSON.stringify(input.EncryptionContext ?? {})) {
      throw new InvalidCiphertextException({ message: 'invalid', $metadata: {} });
    }
    return { Plaintext: new Uint8Array(entry.key), KeyId: input.KeyId };
  });
}

const generateCalls = () => kms.commandCalls(GenerateDataKeyCommand).length;
const decryptCalls = () => kms.commandCalls(DecryptCommand).length;
const provider = createAwsKmsKeyProvider({ client, keyId: 'alias/app' });
const ctx = { tenant: 't1' };

beforeEach(() => {
  kms.reset();
  fakeKms();
});
afterEach(() => kms.reset());

describe('AWS KMS provider through KMSClient', () => {
  it('calls GenerateDataKey and Decrypt with the encryption context and pins Decrypt to the key ARN', async () => {
    const envelope = createEnvelopeCipher({
      provider: createAwsKmsKeyProvider({ client, keyId: 'alias/app', grantTokens: ['g1'] }),
    });
    const blob = await envelope.encrypt('secret report', ctx);
    expect((await envelope.decrypt(blob, ctx)).toString()).toBe('secret report');
    const gen = kms.commandCalls(GenerateDataKeyCommand)[0]!.args[0].input;
    expect(gen).toEqual({
      KeyId: 'alias/app',
      KeySpec: 'AES_256',
      EncryptionContext: ctx,
      GrantTokens: ['g1'],
    });
    const dec = kms.commandCalls(DecryptCommand)[0]!.args[0].input;
    expect(dec.KeyId).toBe(ARN);
    expect(dec.EncryptionContext).toEqual(ctx);
  });

  it('without a cache, asks KMS for every message', async () => {
    const envelope = createEnvelopeCipher({ provider });
    const a = await envelope.encrypt('a', ctx);
    await envelope.encrypt('b', ctx);
    await envelope.decrypt(a);
    await envelope.decrypt(a);
    expect(generateCalls()).toBe(2);
    expect(decryptCalls()).toBe(2);
  });
});

describe('data-key cache', () => {
  it('hits for the same context and misses for another', async () => {
    const envelope = createEnvelopeCipher({ provider, cache: { maxAge: 60_000 } });
    const a = await envelope.encrypt('a', ctx);
    const b = await envelope.encrypt('b', ctx);
    expect(generateCalls()).toBe(1);
    await envelope.encrypt('c', { tenant: 't2' });
    expect(generateCalls()).toBe(2);
    expect((await envelope.decrypt(a)).toString()).toBe('a');
    expect((await envelope.decrypt(b)).toString()).toBe('b');
    // Both blobs carry the same wrapped key: the second decrypt is a cache hit.
    expect(decryptCalls()).toBe(1);
  });

  it('expires entries by age for encrypt and decrypt', async () => {
    let now = 1_000;
    const envelope = createEnvelopeCipher({ provider, cache: { maxAge: 500, now: () => now } });
    const blob = await envelope.encrypt('a', ctx);
    await envelope.decrypt(blob);
    now += 499;
    await envelope.encrypt('b', ctx);
    await envelope.decrypt(blob);
    expect([generateCalls(), decryptCalls()]).toEqual([1, 1]);
    now += 1;
    await envelope.encrypt('c', ctx);
    await envelope.decrypt(blob);
    expect([generateCalls(), decryptCalls()]).toEqual([2, 2]);
  });

  it('retires a data key after maxMessages messages', async () => {
    const envelope = createEnvelopeCipher({ provider, cache: { maxAge: 60_000, maxMessages: 3 } });
    for (let i = 0; i < 3; i++) await envelope.encrypt('m', ctx);
    expect(generateCalls()).toBe(1);
    await envelope.encrypt('m', ctx);
    expect(generateCalls()).toBe(2);
  });

  it('retires a data key once maxBytes would be exceeded and bypasses it for larger messages', async () => {
    const envelope = createEnvelopeCipher({ provider, cache: { maxAge: 60_000, maxBytes: 100 } });
    await envelope.encrypt(Buffer.alloc(60), ctx);
    await envelope.encrypt(Buffer.alloc(40), ctx); // 100 bytes: still within
    expect(generateCalls()).toBe(1);
    await envelope.encrypt(Buffer.alloc(1), ctx); // 101 > 100: new key
    expect(generateCalls()).toBe(2);
    await envelope.encrypt(Buffer.alloc(101), ctx); // larger than maxBytes: never cached
    await envelope.encrypt(Buffer.alloc(1), ctx); // still served by the second key
    expect(generateCalls()).toBe(3);
  });

  it('bypasses the cache for streams of unknown length and uses it with plaintextLength', async () => {
    const envelope = createEnvelopeCipher({ provider, cache: { maxAge: 60_000 } });
    const run = async (options?: { plaintextLength: number }) => {
      const stream = envelope.encryptStream(ctx, options);
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      const done = new Promise((resolve, reject) => stream.on('end', resolve).on('error', reject));
      stream.end(Buffer.from('abc'));
      await done;
      return Buffer.concat(chunks);
    };
    await run();
    await run();
    expect(generateCalls()).toBe(2);
    const blob = await run({ plaintextLength: 3 });
    await run({ plaintextLength: 3 });
    expect(generateCalls()).toBe(3);
    expect((await envelope.decrypt(blob, ctx)).toString()).toBe('abc');
  });

  it('drops everything on clearCache', async () => {
    const envelope = createEnvelopeCipher({ provider, cache: { maxAge: 60_000 } });
    await envelope.encrypt('a', ctx);
    envelope.clearCache();
    await envelope.encrypt('b', ctx);
    expect(generateCalls()).toBe(2);
  });

  it('validates cache options', () => {
    expect(() => createEnvelopeCipher({ provider, cache: { maxAge: 0 } })).toThrow(/maxAge/);
    expect(() =>
      createEnvelopeCipher({ provider, cache: { maxAge: 1, maxMessages: 2 ** 33 } }),
    ).toThrow(/maxMessages/);
  });
});

describe('KMS failure mapping', () => {
  const sdkError = (name: string, status: number) =>
    Object.assign(new Error(`${name} for ${ARN}`), { name, $metadata: { httpStatusCode: status } });
  const cases: [string, () => Error, string, number][] = [
    ['throttling', () => sdkError('ThrottlingException', 400), 'KMS_UNAVAILABLE', 503],
    [
      'a KMS internal error',
      () => new KMSInternalException({ message: 'oops', $metadata: { httpStatusCode: 500 } }),
      'KMS_UNAVAILABLE',
      503,
    ],
    [
      'a network outage',
      () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      'KMS_UNAVAILABLE',
      503,
    ],
    ['access denied', () => sdkError('AccessDeniedException', 400), 'KMS_ACCESS_DENIED', 500],
    [
      'a disabled key',
      () => new DisabledException({ message: 'disabled', $metadata: {} }),
      'KMS_KEY_UNUSABLE',
      500,
    ],
    [
      'a missing key',
      () => new NotFoundException({ message: 'nope', $metadata: {} }),
      'KMS_KEY_UNUSABLE',
      500,
    ],
    ['an unknown error', () => sdkError('SomethingNewException', 400), 'KMS_ERROR', 500],
  ];
  for (const [what, make, code, status] of cases) {
    it(`maps ${what} on GenerateDataKey to ${code}`, async () => {
      kms.on(GenerateDataKeyCommand).rejects(make());
      const err = await expectCodeAsync(
        () => createEnvelopeCipher({ provider }).encrypt('x', { tenant: 'private-tenant' }),
        code,
      );
      expect(err.status).toBe(status);
      if (code === 'KMS_UNAVAILABLE')
        expect(err).toMatchObject({ retryable: true, retryAfterSeconds: 5 });
      expect(serialised(err)).not.toContain('private-tenant');
    });
  }

  it('maps throttling on Decrypt to a retryable ServiceUnavailableError', async () => {
    const blob = await createEnvelopeCipher({ provider }).encrypt('x', ctx);
    kms
      .on(DecryptCommand)
      .rejects(
        Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: {} }),
      );
    const err = await expectCodeAsync(
      () => createEnvelopeCipher({ provider }).decrypt(blob),
      'KMS_UNAVAILABLE',
    );
    expect(err.name).toBe('ServiceUnavailableError');
  });

  it('maps InvalidCiphertextException (context tampered in the header) to DECRYPT_FAILED', async () => {
    const envelope = createEnvelopeCipher({ provider });
    const blob = await envelope.encrypt('x', { tenant: 't1' });
    const swapped = Buffer.from(blob);
    const at = swapped.indexOf(Buffer.from('t1'));
    swapped.write('t2', at);
    await expectCodeAsync(() => envelope.decrypt(swapped), 'DECRYPT_FAILED');
  });

  it('rejects a malformed KMS response', async () => {
    kms
      .on(GenerateDataKeyCommand)
      .resolves({ Plaintext: new Uint8Array(16), CiphertextBlob: new Uint8Array(4) });
    await expectCodeAsync(() => createEnvelopeCipher({ provider }).encrypt('x'), 'KMS_ERROR');
  });
});
