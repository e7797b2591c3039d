// Readiness with cached checks vs a bare route, both on real node:http servers
// on 127.0.0.1, driven by the same in-process keep-alive load loop.
// Client and servers share one thread and the loop is CPU-bound, so the rate is
// requests per CPU-second of this process: equal to req/s on an idle machine,
// and not skewed when other processes take the CPU away mid-round.
import { Agent, createServer, request } from 'node:http';
import { createHealth, createHealthHandler } from '@plinth/health';

const CONCURRENCY = 32;

function listen(handler) {
  const server = createServer(handler);
  // Rounds alternate between servers: keep idle sockets alive across a round.
  server.keepAliveTimeout = 120_000;
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, port: server.address().port }));
  });
}

/** Runs CONCURRENCY request loops for `durationMs`; returns completed 200 responses per CPU-second. */
function load(port, path, agent, durationMs) {
  const deadline = performance.now() + durationMs;
  let done = 0;
  let bad = 0;
  const one = () =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
        if (res.statusCode !== 200) bad++;
        res.resume();
        res.on('end', () => resolve(true));
      });
      req.on('error', (err) => (err.code === 'ECONNRESET' ? resolve(false) : reject(err)));
      req.end();
    });
  const loop = async () => {
    while (performance.now() < deadline) {
      if (await one()) done++;
    }
  };
  const cpu = process.cpuUsage();
  return Promise.all(Array.from({ length: CONCURRENCY }, loop)).then(() => {
    if (bad > 0) throw new Error(`${bad} non-200 responses`);
    const { user, system } = process.cpuUsage(cpu);
    return (done * 1e6) / (user + system);
  });
}

export default [
  {
    name: 'readiness with cached checks (3 checks, node:http handler)',
    anchorName: 'bare node:http route returning the same-size JSON',
    metric: 'rate',
    unit: 'req/CPU-s',
    target: { min: 0.9 },
    // Many short ABBA rounds instead of 4 long ones: on a shared machine a
    // burst of other work lands in a few pairs, and the median drops them.
    rounds: 12,
    roundMs: 1000,
    async setup() {
      const health = createHealth({
        cacheMs: 60_000,
        checks: {
          postgres: { check: async () => {}, componentType: 'datastore' },
          redis: { check: async () => {}, componentType: 'datastore', critical: false },
          billing: async () => {},
        },
        service: { name: 'bench', version: '0.0.0' },
      });
      const probes = createHealthHandler(health);
      await health.ready(); // prime the cache
      const sample = JSON.stringify((await health.ready()).body);
      const subject = await listen((req, res) => {
        if (probes(req, res)) return;
        res.writeHead(404);
        res.end();
      });
      const anchor = await listen((_req, res) => {
        res.writeHead(200, {
          'content-type': 'application/json',
          'cache-control': 'no-store',
          'content-length': Buffer.byteLength(sample),
        });
        res.end(sample);
      });
      const agents = [0, 1].map(() => new Agent({ keepAlive: true, maxSockets: CONCURRENCY }));
      let checked = false;
      return {
        anchor: (ms) => load(anchor.port, '/health/ready', agents[0], ms),
        subject: async (ms) => {
          checked = true;
          return load(subject.port, '/health/ready', agents[1], ms);
        },
        check: () => (checked ? `concurrency ${CONCURRENCY}, keep-alive` : 'subject never ran'),
        teardown: async () => {
          for (const agent of agents) agent.destroy();
          for (const { server } of [subject, anchor]) {
            server.closeAllConnections();
            await new Promise((resolve) => server.close(resolve));
          }
        },
      };
    },
  },
];
