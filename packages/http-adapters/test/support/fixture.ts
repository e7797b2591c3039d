import { afterAll, beforeAll } from 'vitest';
import type { HttpAdapterOptions } from '../../src/index.js';
import { captureLogger, type Framework, type RunningApp, startApp } from './apps.js';
import { contractRoutes } from './routes.js';

export const FRAMEWORKS: Framework[] = ['express', 'fastify'];
export const ORIGIN = 'https://app.example.com';

/** The options every contract app is built from. */
export function contractOptions(
  logger: ReturnType<typeof captureLogger>['logger'],
): HttpAdapterOptions {
  return {
    routes: contractRoutes,
    logger,
    cors: { origins: [ORIGIN], credentials: true, maxAgeSeconds: 300 },
  };
}

/** Start `framework` with the contract options (plus `extra`) for the enclosing describe block. */
export function useApp(framework: Framework, extra: Partial<HttpAdapterOptions> = {}) {
  const log = captureLogger();
  const state = { app: undefined as unknown as RunningApp, log };
  beforeAll(async () => {
    state.app = await startApp(framework, { ...contractOptions(log.logger), ...extra });
  });
  afterAll(() => state.app.close());
  return state;
}

/** The JSON members the contract cases read. */
export interface JsonBody {
  code: string;
  errorId: string;
  correlationId: string;
  errors: { path: string; code: string }[];
  [key: string]: unknown;
}

/** `res.json()` typed for the contract cases. */
export const readJson = async (res: Response): Promise<JsonBody> => (await res.json()) as JsonBody;
