import type { Agent } from 'node:http';

type SendResult = { status: string; error?: Error };

/**
 * The retrying transport inside each OTLP/HTTP exporter of the 0.301 line
 * (`exporter._delegate._transport`). It has no public handle: its backoff
 * timers are plain `setTimeout`s that keep the process alive until
 * `exportTimeoutMs` after a collector outage, past `shutdown()`.
 */
interface RetryingTransport {
  retry(data: unknown, timeoutMillis: number, inMillis: number): Promise<SendResult>;
  _transport: { send(data: unknown, timeoutMillis: number): Promise<SendResult> };
}

/** The exporter's retrying transport, or undefined when its internals are not the expected ones. */
export const retryingTransportOf = (exporter: object): RetryingTransport | undefined => {
  const transport = (exporter as { _delegate?: { _transport?: Partial<RetryingTransport> } })
    ._delegate?._transport;
  return typeof transport?.retry === 'function' && typeof transport._transport?.send === 'function'
    ? (transport as RetryingTransport)
    : undefined;
};

/**
 * Ends every export still in flight when telemetry shuts down: the HTTP
 * agents' sockets are destroyed (a hanging collector no longer holds the
 * process) and pending retries resolve as failed instead of waiting for
 * their backoff. After `stop()`, new exports fail at once.
 */
export function createExportStopper() {
  let stopped = false;
  const agents = new Set<Agent>();
  const pending = new Map<NodeJS.Timeout, (result: SendResult) => void>();
  const stoppedResult = (): SendResult => ({
    status: 'failure',
    error: new Error('telemetry was shut down before this export finished'),
  });

  return {
    get stopped() {
      return stopped;
    },
    /** `httpAgentOptions` for the exporters: the default keep-alive agent, tracked. */
    agentFactory: async (protocol: string): Promise<Agent> => {
      // Loaded lazily, as the exporter's own factory does, so the http
      // instrumentation has patched the module first.
      const { Agent } =
        protocol === 'http:' ? await import('node:http') : await import('node:https');
      const agent = new Agent({ keepAlive: true });
      agents.add(agent);
      if (stopped) agent.destroy();
      return agent;
    },
    /** Makes the exporter's retry backoff cancellable by `stop()`. */
    track<T extends object>(exporter: T): T {
      const transport = retryingTransportOf(exporter);
      if (transport === undefined) return exporter;
      const inner = transport._transport;
      transport.retry = (data, timeoutMillis, inMillis) =>
        new Promise<SendResult>((resolve, reject) => {
          if (stopped) return resolve(stoppedResult());
          const timer = setTimeout(() => {
            pending.delete(timer);
            if (stopped) return resolve(stoppedResult());
            inner.send(data, timeoutMillis).then(resolve, reject);
          }, inMillis);
          pending.set(timer, resolve);
        });
      return exporter;
    },
    stop(): void {
      stopped = true;
      for (const agent of agents) agent.destroy();
      for (const [timer, resolve] of pending) {
        clearTimeout(timer);
        resolve(stoppedResult());
      }
      pending.clear();
    },
  };
}
