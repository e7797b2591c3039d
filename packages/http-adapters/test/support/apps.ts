import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { installPlinth } from '../../src/express/index.js';
import { plinthFastify, plinthFrameworkErrors } from '../../src/fastify/index.js';
import { clientErrorHandler, type HttpAdapterOptions } from '../../src/index.js';

/** A running app under test. */
export interface RunningApp {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export type Framework = 'express' | 'fastify';

/** Start an Express 5 or Fastify 5 app from the same options on a free port. */
export async function startApp(
  framework: Framework,
  options: HttpAdapterOptions,
): Promise<RunningApp> {
  if (framework === 'express') {
    const app = installPlinth(express(), options);
    const server = app.listen(0, '127.0.0.1');
    server.on('clientError', clientErrorHandler);
    await new Promise<void>((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      close: () => {
        server.closeAllConnections();
        return new Promise((resolve) => server.close(() => resolve()));
      },
    };
  }
  const app = Fastify({
    logger: false,
    clientErrorHandler,
    frameworkErrors: plinthFrameworkErrors,
  });
  await app.register(plinthFastify, options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      app.server.closeAllConnections();
      await app.close();
    },
  };
}

/** A logger that keeps every call for assertions. */
export function captureLogger() {
  const lines: { level: string; obj: Record<string, unknown>; msg?: string | undefined }[] = [];
  const at = (level: string) => (obj: object, msg?: string) =>
    void lines.push({ level, obj: obj as Record<string, unknown>, msg });
  return {
    lines,
    logger: { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') },
  };
}
