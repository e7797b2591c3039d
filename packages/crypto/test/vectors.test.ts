import { createDecipheriv } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { canonicalContext, createFieldCipher, createKeyring } from '@plinth/crypto';
import { describe, expect, it } from 'vitest';
import { expectCode } from './helpers.js';

interface Vector {
  description: string;
  keyId: string;
  context: Record<string, string>;
  plaintextHex: string;
  plaintext?: string;
  aad: string;
  ciphertext: string;
}
const file = JSON.parse(
  readFileSync(new URL('./vectors/field-v1.json', import.meta.url), 'utf8'),
) as {
  keys: Record<string, string>;
  vectors: Vector[];
};

// Decrypt-only: the vectors were generated once by scripts/generate-field-vectors.mjs.
describe('field-v1 test vectors', () => {
  const cipher = createFieldCipher({
    keyring: createKeyring(
      Object.entries(file.keys).map(([id, key], i) => ({
        id,
        key,
        status: i === 0 ? 'primary' : 'active',
      })),
    ),
  });
  it('has vectors to check', () => {
    expect(file.vectors.length).toBeGreaterThanOrEqual(6);
  });
  /** The format alone, without the cipher: what a reader in another language does. */
  function openRaw(v: Vector): string {
    const [, , nonce, body] = v.ciphertext.split('.') as [string, string, string, string];
    const bytes = Buffer.from(body, 'base64url');
    const key = Buffer.from(file.keys[v.keyId]!, 'base64');
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'));
    d.setAAD(Buffer.from(v.aad, 'utf8'));
    d.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([d.update(bytes.subarray(0, bytes.length - 16)), d.final()]).toString(
      'hex',
    );
  }

  for (const v of file.vectors) {
    if (Object.keys(v.context).length === 0) {
      // The format defines the AAD of an empty context (`{}`), but the cipher
      // refuses one: it would bind the value to no row, column or tenant.
      it(`authenticates "${v.description}" but the cipher refuses its empty context`, () => {
        expect(openRaw(v)).toBe(v.plaintextHex);
        expect(`pl1.${v.keyId}.${canonicalContext(v.context)}`).toBe(v.aad);
        expectCode(() => cipher.decryptBuffer(v.ciphertext, v.context), 'CRYPTO_INVALID_ARGUMENT');
      });
      continue;
    }
    it(`decrypts "${v.description}"`, () => {
      expect(openRaw(v)).toBe(v.plaintextHex);
      expect(cipher.decryptBuffer(v.ciphertext, v.context).toString('hex')).toBe(v.plaintextHex);
      if (v.plaintext !== undefined)
        expect(cipher.decrypt(v.ciphertext, v.context)).toBe(v.plaintext);
      expect(`pl1.${v.keyId}.${canonicalContext(v.context)}`).toBe(v.aad);
    });
  }
});
