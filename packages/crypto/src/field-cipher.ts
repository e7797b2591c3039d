import { createCipheriv, createDecipheriv, type KeyObject } from 'node:crypto';
import { requireOptionsObject } from '@plinth/errors';
import { canonicalContext, type EncryptionContext } from './context.js';
import { checkPlaintext, isCanonicalBase64Url } from './encoding.js';
import { CRYPTO_ERROR_CODES, cryptoError, invalidArgument } from './errors.js';
import { KEY_ID_PATTERN } from './key-id.js';
import { type Keyring, keyringSecret, usableKey } from './keyring.js';
import { nextNonce } from './random.js';

/** Options for {@link createFieldCipher}. */
export interface FieldCipherOptions {
  /** Keys: the primary encrypts, active keys decrypt, retired keys are refused. */
  keyring: Keyring;
}

/**
 * Encrypts single column values, bound to their row/column/tenant by the
 * context. Every call that takes a context requires one with at least one
 * entry: a missing or empty context is `CRYPTO_INVALID_ARGUMENT`.
 */
export interface FieldCipher {
  /** `pl1.<keyId>.<nonce>.<ciphertext||tag>` under the primary key. */
  encrypt(plaintext: string | Uint8Array, context: EncryptionContext): string;
  /** Decrypts to a UTF-8 string (for values encrypted from strings). */
  decrypt(ciphertext: string, context: EncryptionContext): string;
  /** Decrypts to bytes (for values encrypted from Buffers/Uint8Arrays). */
  decryptBuffer(ciphertext: string, context: EncryptionContext): Buffer;
  /** True when the value is not under the current primary key. Does not decrypt. */
  needsRotation(ciphertext: string): boolean;
  /** Re-encrypts under the primary key; returns the input unchanged (after verifying it) when already there. */
  rotate(ciphertext: string, context: EncryptionContext): string;
  /** Key id a ciphertext names (parses only). */
  keyIdOf(ciphertext: string): string;
}

const PREFIX = 'pl1.';
const NONCE_CHARS = 16; // 12 bytes
const TAG_BYTES = 16;
const ALG = 'aes-256-gcm';

interface KeyState {
  key: KeyObject;
  prefix: string;
}

interface Parsed {
  keyId: string;
  nonce: string;
  body: string;
}

function malformed(reason: string): never {
  throw cryptoError(
    CRYPTO_ERROR_CODES.CIPHERTEXT_MALFORMED,
    `Encrypted value is malformed (${reason})`,
    { reason },
  );
}

/**
 * Canonical AAD text of a caller's context. The field cipher refuses a missing
 * or empty context: with nothing in it, a value would decrypt in any row,
 * column or tenant, which is the one thing the binding exists to prevent.
 */
function boundContext(context: unknown): string {
  if (context === undefined) {
    throw invalidArgument(
      "Encryption context is required: pass the value's place (table, column, row, tenant)",
    );
  }
  const text = canonicalContext(context);
  if (text === '{}') {
    throw invalidArgument(
      "Encryption context is empty: it must name the value's place (table, column, row, tenant)",
    );
  }
  return text;
}

function parse(ciphertext: unknown): Parsed {
  if (typeof ciphertext !== 'string') malformed('not a string');
  if (!ciphertext.startsWith(PREFIX)) malformed('missing pl1 prefix');
  const d1 = ciphertext.indexOf('.', PREFIX.length);
  const d2 = d1 === -1 ? -1 : ciphertext.indexOf('.', d1 + 1);
  if (d2 === -1) malformed('expected 4 dot-separated parts');
  const keyId = ciphertext.slice(PREFIX.length, d1);
  if (!KEY_ID_PATTERN.test(keyId)) malformed('invalid key id');
  const nonce = ciphertext.slice(d1 + 1, d2);
  if (nonce.length !== NONCE_CHARS || !isCanonicalBase64Url(nonce)) malformed('invalid nonce');
  const body = ciphertext.slice(d2 + 1);
  // 22 chars = the 16-byte tag alone; '.' is rejected by the alphabet check.
  if (body.length < 22 || !isCanonicalBase64Url(body)) malformed('invalid ciphertext part');
  return { keyId, nonce, body };
}

/**
 * Creates the field cipher of DESIGN §5: AES-256-GCM with a random 96-bit
 * nonce, AAD = `pl1.<keyId>.` + canonical JSON of the context, output
 * `pl1.<keyId>.<b64url nonce>.<b64url ciphertext||tag>`. Synchronous.
 *
 * @example
 * ```ts
 * import { createFieldCipher, createKeyring } from '@plinth/crypto';
 *
 * const cipher = createFieldCipher({ keyring: createKeyring(process.env.ENCRYPTION_KEYS!) });
 * const ctx = { table: 'clients', column: 'email', row: id, tenant: tenantId };
 * const stored = cipher.encrypt('ada@example.com', ctx);
 * cipher.decrypt(stored, ctx); // 'ada@example.com'
 * ```
 */
export function createFieldCipher(options: FieldCipherOptions): FieldCipher {
  const { keyring } = requireOptionsObject(options, 'createFieldCipher', 'a keyring');
  const secret = keyringSecret(keyring, 'createFieldCipher');
  const { primaryId } = keyring;
  const states = new Map<string, KeyState>();

  function state(keyId: string): KeyState {
    const cached = states.get(keyId);
    if (cached !== undefined) return cached;
    const key = usableKey(secret, keyId, 'Encrypted value');
    const created = { key, prefix: `${PREFIX}${keyId}.` };
    states.set(keyId, created);
    return created;
  }

  function encrypt(plaintext: string | Uint8Array, context: EncryptionContext): string {
    const bound = boundContext(context);
    const k = state(primaryId);
    const aad = Buffer.from(k.prefix + bound, 'utf8');
    const nonce = nextNonce();
    const cipher = createCipheriv(ALG, k.key, nonce);
    cipher.setAAD(aad);
    checkPlaintext(plaintext);
    const ct =
      typeof plaintext === 'string' ? cipher.update(plaintext, 'utf8') : cipher.update(plaintext);
    cipher.final();
    const body = Buffer.concat([ct, cipher.getAuthTag()]).toString('base64url');
    return `${k.prefix}${nonce.toString('base64url')}.${body}`;
  }

  function open(
    ciphertext: string,
    context: EncryptionContext,
    asString: boolean,
  ): string | Buffer {
    const bound = boundContext(context);
    const p = parse(ciphertext);
    const k = state(p.keyId);
    const aad = Buffer.from(k.prefix + bound, 'utf8');
    const bytes = Buffer.from(p.body, 'base64url');
    const split = bytes.length - TAG_BYTES;
    const decipher = createDecipheriv(ALG, k.key, Buffer.from(p.nonce, 'base64url'), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(aad);
    decipher.setAuthTag(bytes.subarray(split));
    try {
      if (asString) {
        const text = decipher.update(bytes.subarray(0, split), undefined, 'utf8');
        return text + decipher.final('utf8');
      }
      const out = decipher.update(bytes.subarray(0, split));
      decipher.final();
      return out;
    } catch {
      // No cause: it adds nothing and must not carry partial output.
      throw cryptoError(
        CRYPTO_ERROR_CODES.DECRYPT_FAILED,
        'Encrypted value failed authentication (wrong context or key, or tampered)',
        { keyId: p.keyId },
      );
    }
  }

  return Object.freeze({
    encrypt,
    decrypt: (ciphertext: string, context: EncryptionContext) =>
      open(ciphertext, context, true) as string,
    decryptBuffer: (ciphertext: string, context: EncryptionContext) =>
      open(ciphertext, context, false) as Buffer,
    needsRotation: (ciphertext: string) => parse(ciphertext).keyId !== primaryId,
    keyIdOf: (ciphertext: string) => parse(ciphertext).keyId,
    rotate(ciphertext: string, context: EncryptionContext): string {
      const plaintext = open(ciphertext, context, false) as Buffer;
      if (parse(ciphertext).keyId === primaryId) return ciphertext;
      const out = encrypt(plaintext, context);
      plaintext.fill(0);
      return out;
    },
  });
}
