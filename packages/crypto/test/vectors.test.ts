import { readFileSync } from 'node:fs';
import { canonicalContext, createFieldCipher, createKeyring } from '@plinth/crypto';
import { describe, expect, it } from 'vitest';

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
  for (const v of file.vectors) {
    it(`decrypts "${v.description}"`, () => {
      expect(cipher.decryptBuffer(v.ciphertext, v.context).toString('hex')).toBe(v.plaintextHex);
      if (v.plaintext !== undefined)
        expect(cipher.decrypt(v.ciphertext, v.context)).toBe(v.plaintext);
      expect(`pl1.${v.keyId}.${canonicalContext(v.context)}`).toBe(v.aad);
    });
  }
});
