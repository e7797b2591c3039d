import { type AuditEventLike, createJwtAuth, defineRoute } from '@plinth/http-adapters';

const auth = createJwtAuth({
  issuers: [
    {
      issuer: 'https://staff-id.example.com/',
      audience: 'clients-api',
      principalType: 'staff',
      tenantScoped: false,
      keys: { secret: process.env.STAFF_JWT_SECRET ?? '' },
    },
    {
      issuer: 'https://id.example.com/',
      audience: 'clients-api',
      principalType: 'client',
      algorithms: ['RS256'],
      tierClaims: ['verification_level'],
      keys: { jwksUri: 'https://id.example.com/.well-known/jwks.json' },
    },
  ],
});

const deleteClient = defineRoute({
  method: 'DELETE',
  path: '/v1/clients/:id',
  policy: { roles: ['admin'], scopes: ['clients:write'] },
  handler: () => undefined,
});

export const denials: AuditEventLike[] = [];
export const options = {
  routes: [deleteClient],
  preHandlers: auth.preHandlers,
  audit: { record: async (event: AuditEventLike) => void denials.push(event) },
};
