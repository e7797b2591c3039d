// Usage of @plinth/http-adapters/config as a consumer writes it.
import { loadConfig } from '@plinth/config';
import { createJwtAuth } from '@plinth/http-adapters';
import {
  authFragment,
  httpAdapterSettings,
  httpAdaptersFragment,
  jwtAuthSettings,
  type TrustProxy,
} from '@plinth/http-adapters/config';
import { z } from 'zod';

const schema = z.object({ ...httpAdaptersFragment, ...authFragment });

export async function smokeHttpConfig(): Promise<number> {
  const config = await loadConfig({
    schema,
    env: { NODE_ENV: 'test', AUTH_JWT_SECRET: 'x'.repeat(32) },
    files: false,
  });
  const trust: TrustProxy = config.HTTP_TRUST_PROXY;
  const auth = createJwtAuth(jwtAuthSettings(config, { tenantScoped: false }));
  const { bodyLimit } = httpAdapterSettings(config);
  return config.PORT + (bodyLimit ?? 0) + auth.preHandlers.length + (trust === false ? 0 : 1);
}
