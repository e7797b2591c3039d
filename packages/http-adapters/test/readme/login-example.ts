import { createLoginThrottle, defineRoute } from '@plinth/http-adapters';
import { z } from 'zod';

/** What the route needs from the service (`verifyPassword` from `@plinth/crypto`). */
export interface LoginDeps {
  findUser(
    tenantId: string,
    email: string,
  ): Promise<{ id: string; passwordHash: string } | undefined>;
  verifyPassword(password: string, hash: string): Promise<boolean>;
  /** `await hashPassword(randomToken())` once at startup, verified when the account is unknown. */
  dummyHash: string;
}

// ≥ 32 bytes, the same on every instance; required with `redis`.
const hashKey = process.env.LOGIN_THROTTLE_KEY;
const throttle = createLoginThrottle(hashKey ? { hashKey } : {});

export const loginRoute = (deps: LoginDeps) =>
  defineRoute({
    method: 'POST',
    path: '/v1/auth/login',
    policy: { auth: 'none' },
    schema: {
      body: z.object({
        tenantId: z.string().min(1).max(64),
        email: z.string().min(1).max(320),
        password: z.string().min(1).max(1024),
      }),
    },
    handler: async ({ body }) => {
      const user = await throttle.attempt(
        { tenantId: body.tenantId, account: body.email },
        async () => {
          const found = await deps.findUser(body.tenantId, body.email);
          // The same scrypt work whether or not the account exists.
          const ok = await deps.verifyPassword(
            body.password,
            found?.passwordHash ?? deps.dummyHash,
          );
          return ok && found;
        },
      );
      return { userId: user.id }; // issue the tokens here
    },
  });
