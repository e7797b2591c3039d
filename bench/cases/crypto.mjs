import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createFieldCipher, createKeyring } from '@plinth/crypto';

// Both sides do the same essential work per op: a fresh random 96-bit nonce,
// AES-256-GCM encrypt of a 64-byte UTF-8 string with an AAD, base64url
// encoding into `pl1.<keyId>.<nonce>.<ct||tag>`, then parse, decode and
// decrypt back to a string. The anchor gets its AAD string ready-made (the
// context serialised once, outside the loop); the subject serialises and
// validates the context object on every call, validates the ciphertext
// (canonical base64url, key id) and looks the key up in the keyring.
export default [
  {
    name: 'field encrypt+decrypt 64 B',
    anchorName: 'bare node:crypto AES-256-GCM (same format, AAD prebuilt)',
    metric: 'time',
    target: { max: 1.3 },
    async setup() {
      const key = randomBytes(32);
      const keyring = createKeyring([{ id: 'k1', key, status: 'primary' }]);
      const cipher = createFieldCipher({ keyring });
      const ctx = {
        table: 'clients',
        column: 'email',
        row: '7f9c2ba4-e88f-11ee-b9d1-0242ac120002',
        tenant: 't1',
      };
      const aadText = `pl1.k1.${JSON.stringify(Object.fromEntries(Object.entries(ctx).sort()))}`;
      const plaintext = 'ada.lovelace+newsletter@analytical-engine.example.org (clients)!'; // 64 bytes
      let sink = 0;

      function anchor() {
        const nonce = randomBytes(12);
        const c = createCipheriv('aes-256-gcm', key, nonce);
        c.setAAD(Buffer.from(aadText, 'utf8'));
        const ct = c.update(plaintext, 'utf8');
        c.final();
        const text = `pl1.k1.${nonce.toString('base64url')}.${Buffer.concat([ct, c.getAuthTag()]).toString('base64url')}`;
        const parts = text.split('.');
        const body = Buffer.from(parts[3], 'base64url');
        const d = createDecipheriv('aes-256-gcm', key, Buffer.from(parts[2], 'base64url'), {
          authTagLength: 16,
        });
        d.setAAD(Buffer.from(aadText, 'utf8'));
        d.setAuthTag(body.subarray(body.length - 16));
        const out =
          d.update(body.subarray(0, body.length - 16), undefined, 'utf8') + d.final('utf8');
        sink += out.length;
      }

      function subject() {
        sink += cipher.decrypt(cipher.encrypt(plaintext, ctx), ctx).length;
      }

      return {
        anchor,
        subject,
        check: () =>
          sink > 0 && Buffer.byteLength(plaintext) === 64 ? undefined : 'no work observed',
      };
    },
  },
];
