import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { AUTH } from './jwt.js';
import { S3_CREDENTIALS, S3_REGION } from './s3.js';

export type Framework = 'fastify' | 'express';
export const FRAMEWORKS: readonly Framework[] = ['fastify', 'express'];

const here = dirname(fileURLToPath(import.meta.url));
export const serviceDir = (framework: Framework) =>
  join(here, '..', '..', 'examples', `${framework}-service`);
const mainOf = (framework: Framework) => join(serviceDir(framework), 'dist', 'main.js');

/** True when `examples/<framework>-service/dist/main.js` exists (turbo builds it before the suite). */
export const isBuilt = (framework: Framework) => existsSync(mainOf(framework));

export interface ServiceEnvInput {
  databaseUrl: string;
  s3?: { endpoint: string; bucket: string };
  redisUrl?: string;
  otlpEndpoint?: string;
  /** Anything else (pool sizes, timeouts, rate limits…); wins over the defaults. */
  extra?: Record<string, string | undefined>;
}

const key32 = () => randomBytes(32).toString('base64');

/**
 * The environment of a service under test: exactly the variables of the env
 * contract (examples-common), nothing inherited but PATH/HOME, so the parent's
 * DATABASE_URL or REDIS_URL never leaks in.
 */
export function serviceEnv(input: ServiceEnvInput): Record<string, string> {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    LOG_PRETTY: 'false',
    DATABASE_URL: input.databaseUrl,
    DATABASE_CURSOR_KEY: randomBytes(32).toString('base64url'),
    MIGRATE_ON_START: 'true',
    ENCRYPTION_KEYS: `rel1:${key32()}`,
    BLIND_INDEX_KEY: key32(),
    LOCAL_KMS_KEYS: `m1:${key32()}`,
    AUTH_JWT_SECRET: AUTH.secret,
    AUTH_ISSUER: AUTH.issuer,
    AUTH_AUDIENCE: AUTH.audience,
    S3_BUCKET: input.s3?.bucket ?? 'reliability-documents',
    S3_ENDPOINT: input.s3?.endpoint ?? 'http://127.0.0.1:9',
    S3_FORCE_PATH_STYLE: 'true',
    AWS_REGION: S3_REGION,
    AWS_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey,
    DOCUMENT_RETENTION_DAYS: '1',
    // The load scenarios come from a handful of principals: limits high enough to never bite,
    // unless a scenario sets its own.
    RATE_LIMIT_POINTS: '10000000',
    RATE_LIMIT_DURATION: '60s',
    REDIS_URL: input.redisUrl,
    RATE_LIMIT_KEY_PREFIX: input.redisUrl ? `rel-${randomBytes(4).toString('hex')}` : undefined,
    OTEL_EXPORTER_OTLP_ENDPOINT: input.otlpEndpoint,
    OTEL_SDK_DISABLED: input.otlpEndpoint ? undefined : 'true',
    // Short drain so a scenario's shutdown does not wait the 5 s production default.
    SHUTDOWN_DRAIN_DELAY: '200ms',
    ...input.extra,
  };
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined),
  );
}

export interface LogLine {
  msg?: string;
  level?: number | string;
  [key: string]: unknown;
}

export interface RunningService {
  readonly framework: Framework;
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** The last 2,000 log lines (parsed JSON, or `{ msg: <raw text> }`). */
  readonly logs: LogLine[];
  /** Lines seen so far whose `msg` matches. */
  count(msg: RegExp): number;
  waitForLog(match: (line: LogLine) => boolean, timeoutMs: number): Promise<LogLine>;
  /** Resident set size of the process, KiB (Linux /proc). */
  rssKiB(): number | undefined;
  /** Resolves when the process exits. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** Sends `signal` and waits for the exit (SIGKILL after `timeoutMs`). */
  stop(
    signal?: NodeJS.Signals,
    timeoutMs?: number,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

const RING = 2_000;

/**
 * Starts `node dist/main.js` of a built example with `env`, and resolves once it
 * logged `{"msg":"listening","url":…}` (PORT=0: the URL comes from that line).
 */
async function startServiceOnce(
  framework: Framework,
  env: Record<string, string>,
  { startTimeoutMs = 60_000, name = 'service' }: { startTimeoutMs?: number; name?: string } = {},
): Promise<RunningService> {
  if (!isBuilt(framework))
    throw new Error(
      `${mainOf(framework)} is missing: build the example first (turbo builds it before this suite)`,
    );
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: serviceDir(framework),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logDir = join(here, '..', '.results', 'logs');
  mkdirSync(logDir, { recursive: true });
  // Every line, for a post-mortem (the ring below keeps only the last ones in memory).
  const logFile = createWriteStream(join(logDir, `${name}-${framework}-${child.pid}.log`));
  const logs: LogLine[] = [];
  const counts = new Map<string, number>();
  const watchers = new Set<(line: LogLine) => void>();
  const onLine = (text: string) => {
    logFile.write(`${text}\n`);
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
      if (typeof line !== 'object' || line === null) line = { msg: text };
    } catch {
      line = { msg: text };
    }
    logs.push(line);
    if (logs.length > RING) logs.splice(0, logs.length - RING);
    const msg = String(line.msg ?? '');
    counts.set(msg, (counts.get(msg) ?? 0) + 1);
    for (const w of watchers) w(line);
  };
  createInterface({ input: child.stdout! }).on('line', onLine);
  createInterface({ input: child.stderr! }).on('line', onLine);

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>(
    (resolve) =>
      child.once('exit', (code, signal) => {
        resolve({ code, signal, at: performance.now() });
        setTimeout(() => logFile.end(), 100);
      }),
  );

  const waitForLog = (match: (line: LogLine) => boolean, timeoutMs: number) =>
    new Promise<LogLine>((resolve, reject) => {
      const seen = logs.find(match);
      if (seen) return resolve(seen);
      const timer = setTimeout(() => {
        watchers.delete(watch);
        reject(new Error(`${framework}: no matching log line in ${timeoutMs} ms`));
      }, timeoutMs);
      const watch = (line: LogLine) => {
        if (!match(line)) return;
        clearTimeout(timer);
        watchers.delete(watch);
        resolve(line);
      };
      watchers.add(watch);
      void exited.then(() => {
        if (!watchers.has(watch)) return;
        clearTimeout(timer);
        watchers.delete(watch);
        reject(new Error(`${framework} exited before the expected log line`));
      });
    });

  let listening: LogLine;
  try {
    listening = await waitForLog(
      (l) => l.msg === 'listening' && typeof l.url === 'string',
      startTimeoutMs,
    );
  } catch (err) {
    child.kill('SIGKILL');
    const tail = logs
      .slice(-30)
      .map((l) => JSON.stringify(l))
      .join('\n');
    throw new Error(`${(err as Error).message}; last log lines:\n${tail}`);
  }

  return {
    framework,
    url: String(listening.url),
    pid: child.pid!,
    child,
    logs,
    count(msg) {
      let n = 0;
      for (const [m, c] of counts) if (msg.test(m)) n += c;
      return n;
    },
    waitForLog,
    rssKiB() {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
        return m ? Number(m[1]) : undefined;
      } catch {
        return undefined;
      }
    },
    exited,
    async stop(signal = 'SIGTERM', timeoutMs = 30_000) {
      const t0 = performance.now();
      if (child.exitCode !== null || child.signalCode !== null) {
        const e = await exited;
        return { code: e.code, signal: e.signal, ms: 0 };
      }
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const e = await exited;
      clearTimeout(timer);
      return { code: e.code, signal: e.signal, ms: e.at - t0 };
    },
  };
}

/**
 * {@link startServiceOnce}, tried again (at most 8 times, 3 s apart) when the child died
 * resolving a module: on a shared development machine another build may be rewriting a
 * package's dist/ at that moment. Any other start failure is thrown at once.
 */
export async function startService(
  framework: Framework,
  env: Record<string, string>,
  options: { startTimeoutMs?: number; name?: string } = {},
): Promise<RunningService> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startServiceOnce(framework, env, options);
    } catch (err) {
      if (attempt >= 8 || !/ERR_MODULE_NOT_FOUND/.test((err as Error).message)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 3_000));
    }
  }
}
