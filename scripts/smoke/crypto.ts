// Usage of @plinth/crypto and @plinth/crypto/kms as a consumer writes it.
import { randomBytes } from 'node:crypto';
import { createBlindIndex, createFieldCipher, createKeyring, hashPassword } from '@plinth/crypto';
import {
  createAwsKmsKeyProvider,
  createEnvelopeCipher,
  createLocalKeyProvider,
} from '@plinth/crypto/kms';

const keyring = createKeyring(`k1:${randomBytes(32).toString('base64')}`);
const cipher = createFieldCipher({ keyring });
const ct: string = cipher.encrypt('ada@example.com', { table: 'clients', column: 'email' });
const pt: string = cipher.decrypt(ct, { table: 'clients', column: 'email' });
const index = createBlindIndex({ key: randomBytes(32), scope: 'clients.email' });
const envelope = createEnvelopeCipher({ provider: createLocalKeyProvider({ keyring }) });
const aws = createAwsKmsKeyProvider({ client: { send: async () => ({}) }, keyId: 'alias/app' });
export const smokeCrypto = [pt, index.compute('ada@example.com'), envelope, aws, hashPassword];
