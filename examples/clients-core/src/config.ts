import {
  bool,
  duration,
  type InferConfig,
  int,
  type LoadConfigOptions,
  loadConfig,
  oneOf,
  perEnv,
  secret,
  url,
} from '@plinth/config';
import { createKeyring } from '@plinth/crypto';
import { cryptoFragment } from '@plinth/crypto/config';
import { databaseFragment } from '@plinth/db-repository/config';
import {
  authFragment,
  httpAdaptersFragment,
  rateLimitFragment,
} from '@plinth/http-adapters/config';
import { loggingFragment } from '@plinth/logging/config';
import { telemetryFragment } from '@plinth/telemetry/config';
import { z } from 'zod';

const environment = {
  NODE_ENV: oneOf(['development', 'test', 'staging', 'production'])
    .default('development')
    .describe(
      'development, test, staging or production (staging and production turn the guards on).',
    ),
};

/**
 * Node's HTTP server timeouts, set explicitly: Express and Fastify leave
 * different defaults (Fastify never times a request out). Both services
 * create their server from these values (`serverOptionsOf`).
 */
const httpServer = {
  HTTP_REQUEST_TIMEOUT: duration({ min: 1_000, max: 3_600_000 })
    .default(300_000)
    .describe(
      'Longest time to receive a whole request, headers and body (a 10 MiB upload on a slow link);\nslower gets 408 and the connection is closed.',
    ),
  HTTP_HEADERS_TIMEOUT: duration({ min: 1_000, max: 3_600_000 })
    .default(60_000)
    .describe(
      'Longest time to receive the request headers (slowloris); at most HTTP_REQUEST_TIMEOUT.',
    ),
  HTTP_KEEP_ALIVE_TIMEOUT: duration({ min: 1_000, max: 600_000 })
    .default(72_000)
    .describe(
      'How long an idle connection stays open for another request. Keep it longer than the idle\ntimeout of the load balancer in front (60 s on AWS ALB), or it may reuse a closing connection.',
    ),
  DOCS_ENABLED: perEnv(bool(), {
    development: 'true',
    staging: 'true',
    production: 'false',
  }).describe(
    'Serve the API reference UI at /docs (it loads Scalar from a CDN); /openapi.json is always served.',
  ),
};

/** Tokens the service issues itself (staff login); verified with the AUTH_* keys above. */
const issuedTokens = {
  AUTH_ACCESS_TOKEN_TTL: duration({ min: 60_000, max: 86_400_000 })
    .default(900_000)
    .describe('Lifetime of the access tokens the service issues at login.'),
  AUTH_REFRESH_TOKEN_TTL: duration({ min: 60_000, max: 7_776_000_000 })
    .default(2_592_000_000)
    .describe('Lifetime of a refresh token family (rotation keeps the family).'),
};

const redis = {
  REDIS_URL: secret(url({ protocols: ['redis', 'rediss'] }))
    .optional()
    .describe('Redis for the shared rate-limit store and a readiness check; in-memory when unset.'),
};

/** Client documents: S3 for the bytes, KMS for the data keys. */
const documents = {
  S3_BUCKET: perEnv(z.string().trim().min(3).max(63), {
    development: 'clients-documents',
    test: 'clients-documents',
  }).describe('Bucket of the client documents (Object Lock retention is used when enabled).'),
  S3_ENDPOINT: url({ protocols: ['https', 'http'] })
    .optional()
    .describe('S3-compatible endpoint (MinIO, fauxqs); unset for AWS S3.'),
  S3_FORCE_PATH_STYLE: bool()
    .default(false)
    .describe('Path-style bucket addressing (most S3-compatible servers need it).'),
  AWS_REGION: perEnv(z.string().trim().min(1), {
    development: 'us-east-1',
    test: 'us-east-1',
  }).describe(
    'Region of S3 and KMS. Credentials come from the AWS SDK default chain\n(AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile, or the instance role).',
  ),
  KMS_KEY_ID: z
    .string()
    .trim()
    .min(1)
    .optional()
    .describe(
      'AWS KMS key (id, ARN or alias) wrapping document data keys.\nUnset: the local key provider (LOCAL_KMS_KEYS), refused in staging and production.',
    ),
  LOCAL_KMS_KEYS: secret(
    z.string().refine((text) => {
      try {
        createKeyring(text);
        return true;
      } catch {
        return false;
      }
    }, 'must be a keyring: m1:<base64 32 bytes>[,m0:<base64 32 bytes>]'),
  )
    .optional()
    .describe(
      'Wrapping keys of the local key provider (development and tests only), primary first.\nUnset: a built-in development key.',
    ),
  DOCUMENT_RETENTION_DAYS: int({ min: 0, max: 36_500 })
    .default(30)
    .describe('Days a document is kept before it may be deleted (0: deletable at once).'),
};

const lifecycle = {
  MIGRATE_ON_START: bool()
    .default(false)
    .describe('Apply the service and audit migrations at start-up (else run `pnpm migrate`).'),
  SHUTDOWN_DRAIN_DELAY: duration({ max: 120_000 })
    .default(5_000)
    .describe('After SIGTERM: how long readiness fails before the server stops accepting.'),
  SHUTDOWN_TIMEOUT: duration({ min: 1, max: 120_000 })
    .default(10_000)
    .describe('After the server stops accepting: how long in-flight requests get to finish.'),
};

/** Rules across keys, and the production rules no single key can express. */
function crossKeyRules(config: Record<string, unknown>, ctx: z.core.$RefinementCtx): void {
  const issue = (key: string, message: string) =>
    ctx.addIssue({ code: 'custom', path: [key], message });
  if ((config.AUTH_JWT_SECRET === undefined) === (config.AUTH_JWKS_URL === undefined))
    issue('AUTH_JWT_SECRET', 'set exactly one of AUTH_JWT_SECRET and AUTH_JWKS_URL');
  // Node refuses to create a server with this combination: say so at load time, by name.
  if ((config.HTTP_HEADERS_TIMEOUT as number) > (config.HTTP_REQUEST_TIMEOUT as number))
    issue('HTTP_HEADERS_TIMEOUT', 'must not be longer than HTTP_REQUEST_TIMEOUT');
  if (config.NODE_ENV !== 'staging' && config.NODE_ENV !== 'production') return;
  if (config.KMS_KEY_ID === undefined)
    issue('KMS_KEY_ID', `is required in ${config.NODE_ENV}: the local key provider is refused`);
  if (config.LOCAL_KMS_KEYS !== undefined)
    issue('LOCAL_KMS_KEYS', `must not be set in ${config.NODE_ENV}: use KMS_KEY_ID`);
  if (config.DATABASE_URL === undefined) issue('DATABASE_URL', `is required in ${config.NODE_ENV}`);
}

/**
 * The whole environment of the example services, one zod schema: the
 * fragments of every package used, plus the service's own keys. The
 * `.env.example` next to this package is generated from it (`pnpm env:example`).
 *
 * @example
 * ```ts
 * import { toEnvExample } from '@plinth/config';
 * import { clientsConfigSchema } from '@plinth-example/clients-core';
 *
 * process.stdout.write(toEnvExample(clientsConfigSchema));
 * ```
 */
export const clientsConfigSchema = z
  .object({
    ...environment,
    ...httpAdaptersFragment,
    ...httpServer,
    ...loggingFragment,
    ...databaseFragment,
    ...cryptoFragment,
    ...authFragment,
    ...issuedTokens,
    ...redis,
    ...rateLimitFragment,
    ...documents,
    ...lifecycle,
    ...telemetryFragment,
  })
  .superRefine(crossKeyRules);

/** The loaded, frozen configuration. */
export type ClientsConfig = InferConfig<typeof clientsConfigSchema>;

/**
 * Loads and validates the configuration from the environment (and `.env`
 * files in development). Every problem is reported at once in one
 * `ConfigError` (`CONFIG_INVALID`) that never contains a value.
 *
 * @example
 * ```ts
 * import { loadClientsConfig } from '@plinth-example/clients-core';
 *
 * const config = await loadClientsConfig();
 * ```
 */
export function loadClientsConfig(
  options: Omit<LoadConfigOptions<typeof clientsConfigSchema>, 'schema'> = {},
): Promise<ClientsConfig> {
  return loadConfig({ ...options, schema: clientsConfigSchema });
}
