// Usage of @plinth/config as a consumer writes it.
import { bytes, loadConfig, port, secret, toEnvExample } from '@plinth/config';
import { z } from 'zod';

const schema = z.object({
  BODY_LIMIT: bytes().default(1024),
  API_TOKEN: secret(),
  ADMIN_PORT: port(),
});

export async function smokeConfig(): Promise<number> {
  const config = await loadConfig({
    schema,
    env: { API_TOKEN: 'x'.repeat(16), ADMIN_PORT: '9000' },
    files: false,
  });
  const adminPort: number = config.ADMIN_PORT + config.BODY_LIMIT;
  const token: string = config.API_TOKEN.reveal();
  return adminPort + token.length + toEnvExample(schema).length;
}
