import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, type WriteStream } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';

/** The two services every case runs against. */
export const FRAMEWORKS = ['express', 'fastify'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

export const CONTRACT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const EXAMPLES_DIR = resolve(CONTRACT_DIR, '..');
export const RESULTS_DIR = join(CONTRACT_DIR, '.test-results');
export const serviceDir = (framework: Framework) => join(EXAMPLES_DIR, `${framework}-service`);

/** Everything a worker needs to reach the shared stack (handed over with vitest's provide/inject). */
export interface ContractStack {
  readonly auth: { readonly secret: string; readonly issuer: string; readonly audience: string };
  readonly s3: S3Settings;
  readonly services: Record<Framework, ServiceInfo>;
  readonly redisUrl: string | null;
  /** True when DATABASE_URL was unset and each service runs on an embedded PGlite (one connection). */
  readonly embedded: boolean;
}

export interface ServiceInfo {
  readonly url: string;
  readonly databaseUrl: string;
  readonly logFile: string;
  /** The full environment the service was started with (PORT=0): start another instance with overrides. */
  readonly env: Record<string, string>;
}

export interface S3Settings {
  readonly endpoint: string;
  readonly bucket: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    contract: ContractStack;
  }
}

const base64 = (bytes: number) => randomBytes(bytes).toString('base64');

/** Fresh secrets for one run: nothing published, nothing shared between runs. */
export function generateSecrets() {
  return {
    AUTH_JWT_SECRET: randomBytes(48).toString('base64url'),
    ENCRYPTION_KEYS: `k1:${base64(32)}`,
    BLIND_INDEX_KEY: base64(32),
    LOCAL_KMS_KEYS: `m1:${base64(32)}`,
    DATABASE_CURSOR_KEY: randomBytes(32).toString('base64url'),
  };
}

export interface ServiceEnvInput {
  databaseUrl: string;
  s3: S3Settings;
  secrets: ReturnType<typeof generateSecrets>;
  issuer: string;
  audience: string;
  redisUrl?: string | null;
  redisPrefix?: string;
}

/**
 * The service environment (the env contract of examples/README.md): the
 * services read env only. PORT=0 picks a free port; the URL comes from the
 * `listening` log line.
 */
export function serviceEnv(input: ServiceEnvInput): Record<string, string> {
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    LOG_PRETTY: 'false',
    DATABASE_URL: input.databaseUrl,
    DATABASE_POOL_MAX: '20',
    // The load test queues 1,000 requests on these 20 connections: waiting for one is not a failure.
    DATABASE_CONNECTION_TIMEOUT: '30s',
    DATABASE_CURSOR_KEY: input.secrets.DATABASE_CURSOR_KEY,
    ENCRYPTION_KEYS: input.secrets.ENCRYPTION_KEYS,
    BLIND_INDEX_KEY: input.secrets.BLIND_INDEX_KEY,
    LOCAL_KMS_KEYS: input.secrets.LOCAL_KMS_KEYS,
    AUTH_JWT_SECRET: input.secrets.AUTH_JWT_SECRET,
    AUTH_ISSUER: input.issuer,
    AUTH_AUDIENCE: input.audience,
    CORS_ORIGINS: 'https://app.example.com',
    // High enough for the load test (1,000 concurrent from one principal); one
    // case starts its own instance with a low limit to see 429.
    RATE_LIMIT_POINTS: '1000000',
    RATE_LIMIT_DURATION_SECONDS: '60',
    S3_BUCKET: input.s3.bucket,
    S3_ENDPOINT: input.s3.endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    AWS_REGION: input.s3.region,
    AWS_ACCESS_KEY_ID: input.s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: input.s3.secretAccessKey,
    DOCUMENT_RETENTION_DAYS: '30',
    MIGRATE_ON_START: 'true',
    // Readiness fails for this long after SIGTERM before the server stops accepting.
    SHUTDOWN_DRAIN_DELAY: '200ms',
    OTEL_SDK_DISABLED: 'true',
  };
  if (input.redisUrl) {
    env.REDIS_URL = input.redisUrl;
    if (input.redisPrefix) env.RATE_LIMIT_KEY_PREFIX = input.redisPrefix;
  }
  return env;
}

/** A running service child process. */
export interface ServiceProcess {
  readonly framework: Framework;
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly logFile: string;
  /** Everything the child wrote so far (stdout and stderr, interleaved as received). */
  output(): string;
  /** Parsed JSON log lines so far. */
  logLines(): Record<string, unknown>[];
  /** Resolves with the exit code and signal once the child is gone. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends SIGTERM once (a second SIGTERM forces the exit: the services treat it as impatience). */
  terminate(): void;
  /** SIGTERM (unless already sent), then wait up to `timeoutMs`; throws with the output tail unless it exited 0. */
  stop(timeoutMs?: number): Promise<void>;
}

const tail = (text: string, lines = 60) => text.split('\n').slice(-lines).join('\n');

/**
 * Spawns `node dist/main.js` in the service's folder with `env` only (plus
 * PATH), waits for the `{"msg":"listening","url":…}` line and returns its URL.
 */
export async function startService(
  framework: Framework,
  env: Record<string, string>,
  options: { name?: string; timeoutMs?: number } = {},
): Promise<ServiceProcess> {
  const cwd = serviceDir(framework);
  const main = join(cwd, 'dist', 'main.js');
  if (!existsSync(main))
    throw new Error(
      `${main} is missing: build the service first (npx -y pnpm@10.34.8 --filter @plinth-example/${framework}-service... build)`,
    );
  mkdirSync(join(RESULTS_DIR, 'logs'), { recursive: true });
  const name = options.name ?? framework;
  const logFile = join(RESULTS_DIR, 'logs', `${name}-${process.pid}-${Date.now()}.log`);
  const log: WriteStream = createWriteStream(logFile);
  const child: ChildProcess = spawn(process.execPath, [main], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  let pending = '';
  const lines: Record<string, unknown>[] = [];
  let onLine: ((line: Record<string, unknown>) => void) | undefined;
  const collect = (chunk: Buffer) => {
    const s = chunk.toString('utf8');
    text += s;
    log.write(chunk);
    pending += s;
    let nl = pending.indexOf('\n');
    while (nl !== -1) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      nl = pending.indexOf('\n');
      if (!line.startsWith('{')) continue;
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        lines.push(parsed);
        onLine?.(parsed);
      } catch {
        // not a log line
      }
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.once('exit', (code, signal) => {
      log.end();
      done({ code, signal });
    });
  });

  const timeoutMs = options.timeoutMs ?? 60_000;
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`${name} did not log "listening" within ${timeoutMs} ms:\n${tail(text)}`));
    }, timeoutMs);
    const found = (line: Record<string, unknown>) => {
      if (line.msg === 'listening' && typeof line.url === 'string') {
        clearTimeout(timer);
        onLine = undefined;
        ok(line.url);
      }
    };
    for (const line of lines) found(line);
    onLine = found;
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      fail(new Error(`${name} exited (${code ?? signal}) before listening:\n${tail(text)}`));
    });
  });

  let stopping: Promise<void> | undefined;
  let terminated = false;
  const terminate = () => {
    if (terminated || child.exitCode !== null || child.signalCode !== null) return;
    terminated = true;
    child.kill('SIGTERM');
  };
  return {
    framework,
    url,
    port: Number(new URL(url).port),
    pid: child.pid as number,
    logFile,
    output: () => text,
    logLines: () => lines,
    exited,
    terminate,
    stop(stopTimeoutMs = 20_000) {
      stopping ??= (async () => {
        terminate();
        let timer: NodeJS.Timeout | undefined;
        const result = await Promise.race([
          exited,
          new Promise<'timeout'>((done) => {
            timer = setTimeout(() => done('timeout'), stopTimeoutMs);
          }),
        ]);
        clearTimeout(timer);
        if (result === 'timeout') {
          child.kill('SIGKILL');
          await exited;
          throw new Error(
            `${name} did not exit within ${stopTimeoutMs} ms of SIGTERM:\n${tail(text)}`,
          );
        }
        if (result.code !== 0)
          throw new Error(
            `${name} exited with ${result.code ?? result.signal} after SIGTERM (expected 0):\n${tail(text)}`,
          );
      })();
      return stopping;
    },
  };
}

/** A database of its own on the server of `serverUrl`, dropped by `drop()`. */
export interface ScratchDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

export async function createScratchDatabase(
  serverUrl: string,
  prefix: string,
): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** An S3 client for the suite's fauxqs server. */
export function s3Client(s3: S3Settings): S3Client {
  return new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
}

/** Every object key in the bucket (bounded: at most 100 pages). */
export async function listKeys(client: S3Client, bucket: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  for (let page = 0; page < 100; page++) {
    const out = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }),
    );
    for (const item of out.Contents ?? []) if (item.Key) keys.push(item.Key);
    if (!out.IsTruncated) return keys;
    token = out.NextContinuationToken;
  }
  throw new Error('more than 100 pages of objects');
}

/** Removes every object (fauxqs has no Object Lock, so this is allowed). */
export async function emptyBucket(client: S3Client, bucket: string): Promise<void> {
  const keys = await listKeys(client, bucket);
  for (let i = 0; i < keys.length; i += 1000)
    await client.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })) },
      }),
    );
}

/** One query on a service's database (for checks only: rows present, rows absent, counts). */
export async function query<T extends Record<string, unknown>>(
  databaseUrl: string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}
