import {
  createSensitiveKeyMatcher,
  isSensitiveKey,
  REDACTED,
  sanitize,
  scrubText,
} from '@plinth/errors';
import { describe, expect, it } from 'vitest';

describe('personal data (12.2)', () => {
  it.each([
    'email',
    'userEmail',
    'e_mail',
    'emailAddress',
    'phone',
    'phoneNumber',
    'mobile_number',
    'dateOfBirth',
    'date_of_birth',
    'birthDate',
    'dob',
    'address',
    'homeAddress',
    'addressLine1',
    'street',
    'postcode',
    'postalCode',
    'zipCode',
    'nationalId',
    'national_insurance_number',
    'taxId',
    'passportNumber',
    'driversLicense',
    'ssn',
    'firstName',
    'last_name',
    'fullName',
    'surname',
    'iban',
    'accountNumber',
    'bankAccount',
    'cardNumber',
  ])('treats %s as personal data by default', (key) => {
    expect(isSensitiveKey(key)).toBe(true);
  });

  it.each([
    'name',
    'username',
    'serviceName',
    'emailVerified',
    'ipAddress',
    'remoteAddress',
    'macAddress',
    'cacheKey',
    'primaryKey',
    'statusCode',
    'errorCode',
    'orderNumber',
    'className',
    'sidebar',
    'timeSpan',
    'publicKey',
    'kmsKeyId',
  ])('leaves %s alone', (key) => {
    expect(isSensitiveKey(key)).toBe(false);
  });

  it('can be switched off, keeping the credential rules', () => {
    const matcher = createSensitiveKeyMatcher({ personalData: false });
    expect(matcher('email')).toBe(false);
    expect(matcher('password')).toBe(true);
    expect(sanitize({ email: 'ann@example.com', token: 't' }, { personalData: false })).toEqual({
      email: 'ann@example.com',
      token: REDACTED,
    });
  });

  it('redacts card numbers and IBANs inside strings unless switched off', () => {
    const note = 'paid with 4111 1111 1111 1111 from DE89370400440532013000';
    expect(sanitize(note)).toBe(`paid with ${REDACTED} from ${REDACTED}`);
    expect(sanitize(note, { personalData: false })).toBe(note);
  });

  it('uses only the given keys with replaceDefaults', () => {
    const matcher = createSensitiveKeyMatcher({ keys: ['nickname', /^x-/], replaceDefaults: true });
    expect(matcher('nickname')).toBe(true);
    expect(matcher('x-trace')).toBe(true);
    expect(matcher('password')).toBe(false);
    expect(matcher('email')).toBe(false);
  });

  it('redacts personal key=value pairs in free text', () => {
    expect(scrubText('lookup email=ann@example.com failed')).toBe(
      `lookup email=${REDACTED} failed`,
    );
  });
});
