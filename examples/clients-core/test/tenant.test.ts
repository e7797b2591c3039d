import { createRequestContext, type RequestContext } from '@plinth/context';
import { describe, expect, it } from 'vitest';
import { callerOf } from '../src/http/tenant.js';

const TENANT = 'abcdefab-cdef-4abc-8def-abcdefabcdef';
const USER = '0b7f6f3e-2d1c-4e5f-9a8b-7c6d5e4f3a2b';

const contextOf = (tenantId: string | undefined, id: string | undefined): RequestContext =>
  createRequestContext({
    ...(tenantId === undefined ? {} : { tenantId }),
    ...(id === undefined ? {} : { principal: { id, type: 'user', roles: ['staff'] } }),
  });

describe('callerOf', () => {
  it('returns the tenant and principal exactly as the context holds them', () => {
    expect(callerOf(contextOf(TENANT, USER))).toEqual({ tenantId: TENANT, actorId: USER });
  });

  it('answers 401 AUTH_REQUIRED without a principal or a tenant', () => {
    for (const context of [contextOf(TENANT, undefined), contextOf(undefined, USER)])
      expect(() => callerOf(context)).toThrow(
        expect.objectContaining({ status: 401, code: 'AUTH_REQUIRED' }),
      );
  });

  it.each([
    ['in upper case', TENANT.toUpperCase()],
    ['in mixed case', `ABCDEFAB${TENANT.slice(8)}`],
    ['not a UUID', "t1' OR '1'='1"],
  ])('refuses a tenant %s with 403 TENANT_INVALID', (_name, tenantId) => {
    expect(() => callerOf(contextOf(tenantId, USER))).toThrow(
      expect.objectContaining({ status: 403, code: 'TENANT_INVALID' }),
    );
  });

  it.each([
    ['not a UUID', 'not-a-uuid'],
    ['a UUID in upper case', USER.toUpperCase()],
  ])('refuses a principal id that is %s with 403 PRINCIPAL_INVALID', (_name, id) => {
    expect(() => callerOf(contextOf(TENANT, id))).toThrow(
      expect.objectContaining({ status: 403, code: 'PRINCIPAL_INVALID' }),
    );
  });
});
