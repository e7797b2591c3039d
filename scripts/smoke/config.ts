// Usage of @plinth/config as a consumer writes it.
import { httpFragment, loadConfig, port, secret, toEnvExample } from '@plinth/config';
import { z } from 'zod';

const schema = z.object({ ...httpFragment, API_TOKEN: secret(), ADMIN_PORT: port() });

export async function smokeConfig(): Promise<number> {
  const config = await loadConfig({
    schema,
    env: { API_TOKEN: 'x'.repeat(16), ADMIN_PORT: '9000' },
    files: false,
  });
  const adminPort: number = config.ADMIN_PORT;
  const token: string = config.API_TOKEN.reveal();
  return adminPort + token.length + toEnvExample(schema).length;
}
