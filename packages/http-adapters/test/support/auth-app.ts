import { getContext } from '@plinth/context';
import {
  createJwtAuth,
  defineRoute,
  type HttpAdapterOptions,
  type JwtAuthOptions,
} from '../../src/index.js';
import { AUDIENCE, CLIENT_ISS, RSA_PUBLIC_PEM, STAFF_ISS, STAFF_SECRET } from './tokens.js';

const me = () => {
  const ctx = getContext();
  return { id: ctx?.principal?.id, type: ctx?.principal?.type, tenantId: ctx?.tenantId ?? null };
};

/** Routes with each kind of auth policy. */
export const authRoutes = [
  defineRoute({ method: 'GET', path: '/me', handler: me }),
  defineRoute({
    method: 'GET',
    path: '/public',
    policy: { auth: 'none' },
    handler: () => ({ ok: true }),
  }),
  defineRoute({ method: 'GET', path: '/maybe', policy: { auth: 'optional' }, handler: me }),
  defineRoute({ method: 'GET', path: '/admin', policy: { roles: ['admin'] }, handler: me }),
  defineRoute({ method: 'GET', path: '/read', policy: { scopes: ['clients:read'] }, handler: me }),
  defineRoute({
    method: 'GET',
    path: '/write',
    policy: { scopes: ['clients:write'] },
    handler: me,
  }),
  defineRoute({
    method: 'GET',
    path: '/verified',
    policy: { tiers: { verification_level: 2 } },
    handler: me,
  }),
  defineRoute({
    method: 'GET',
    path: '/kyc3',
    policy: { tiers: { verification_level: 3 } },
    handler: me,
  }),
];

/** Two issuers: staff (HS256 secret, no tenant) and clients (RS256 public key, tenant-scoped). */
export function authOptions(extra: Partial<JwtAuthOptions> = {}): JwtAuthOptions {
  return {
    issuers: [
      {
        issuer: STAFF_ISS,
        audience: AUDIENCE,
        principalType: 'staff',
        tenantScoped: false,
        keys: { secret: STAFF_SECRET },
      },
      {
        issuer: CLIENT_ISS,
        audience: AUDIENCE,
        principalType: 'client',
        tierClaims: ['verification_level'],
        keys: { publicKeys: [{ kid: 'client-k1', key: RSA_PUBLIC_PEM }] },
      },
    ],
    ...extra,
  };
}

/** Adapter options with JWT auth installed. */
export function authAppOptions(extra: Partial<HttpAdapterOptions> = {}): HttpAdapterOptions {
  return {
    routes: authRoutes,
    preHandlers: [...createJwtAuth(authOptions()).preHandlers],
    ...extra,
  };
}
