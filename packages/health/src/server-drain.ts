import type { IncomingMessage, ServerResponse } from 'node:http';
import { closeConnectionAfterResponse } from './handler.js';

/**
 * The part of a `node:http`/`node:https` server the shutdown sequence uses
 * (`http.Server` from Node ≥ 18.2 satisfies it, as does Fastify's `app.server`).
 */
export interface ServerLike {
  close(callback?: (err?: Error) => void): unknown;
  closeIdleConnections(): void;
  closeAllConnections(): void;
  prependListener(
    event: 'request',
    listener: (req: IncomingMessage, res: ServerResponse) => void,
  ): unknown;
}

/** Tracks in-flight responses of one server so it can be drained. */
export interface DrainableServer {
  /** Responses not finished yet. */
  readonly inFlight: number;
  /** From now on every response asks its client to close the connection. */
  startDraining(): void;
  /** Stops accepting and closes idle connections; resolves when every connection is gone. */
  stop(): Promise<void>;
  /** Destroys every remaining connection. */
  destroy(): void;
}

/** Wraps a server; installs one `request` listener (ahead of the app's) to track responses. */
export function trackServer(server: ServerLike): DrainableServer {
  const active = new Set<ServerResponse>();
  let draining = false;
  let stopping = false;
  let closed: Promise<void> | undefined;

  server.prependListener('request', (_req, res) => {
    if (draining) closeConnectionAfterResponse(res);
    active.add(res);
    res.once('close', () => {
      active.delete(res);
      // A keep-alive socket becomes idle once its response is done: close it now.
      if (stopping) setImmediate(() => server.closeIdleConnections());
    });
  });

  return {
    get inFlight() {
      return active.size;
    },
    startDraining() {
      draining = true;
      for (const res of active) closeConnectionAfterResponse(res);
    },
    stop() {
      stopping = true;
      closed ??= new Promise<void>((resolve) => {
        // ERR_SERVER_NOT_RUNNING means it is already closed, which is what we want.
        server.close(() => resolve());
      });
      server.closeIdleConnections();
      return closed;
    },
    destroy() {
      server.closeAllConnections();
    },
  };
}
