import { describe, expect, it } from 'vitest';
import { canonicalIfUuid, uuid } from '../src/uuid.js';

const UPPER = 'ABCDEFAB-CDEF-4ABC-8DEF-ABCDEFABCDEF';

describe('uuid', () => {
  it('lower-cases a UUID in any letter case', () => {
    expect(uuid().parse(UPPER)).toBe(UPPER.toLowerCase());
    expect(uuid().parse('AbCdEfAb-cdef-4abc-8def-abcdefabcdef')).toBe(UPPER.toLowerCase());
  });

  it('refuses anything that is not a UUID', () => {
    for (const value of ['not-a-uuid', `${UPPER}0`, ` ${UPPER}`, ''])
      expect(uuid().safeParse(value).success).toBe(false);
  });

  it('keeps a JSON Schema of a plain uuid string for the OpenAPI document', () => {
    expect(uuid().toJSONSchema()).toMatchObject({ type: 'string', format: 'uuid' });
  });
});

describe('canonicalIfUuid', () => {
  it('lower-cases a UUID and leaves any other value as it is', () => {
    expect(canonicalIfUuid(UPPER)).toBe(UPPER.toLowerCase());
    // The keyed hash of a login account is case-sensitive base64url.
    expect(canonicalIfUuid('Xy9_AbC-dEf0123456789a')).toBe('Xy9_AbC-dEf0123456789a');
  });
});
