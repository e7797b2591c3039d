import { hostname } from 'node:os';
import { createRequestContext, runWithContext } from '@plinth/context';
import { createLogger } from '@plinth/logging';
import pino from 'pino';

// Both loggers write to a no-op stream (no syscall), so the ratio shows the
// cost of Plinth's mixin + redaction rather than being diluted by I/O.
// Both calls run inside the same runWithContext wrapper; the anchor logs the
// context fields itself (as literals), Plinth's mixin reads them from the
// context. Output lines carry the same fields (the anchor also prints the
// Authorization header that Plinth redacts).
function nullStream() {
  let bytes = 0;
  return {
    write(line) {
      bytes += line.length;
    },
    get bytes() {
      return bytes;
    },
  };
}

export default [
  {
    name: 'log line with context mixin + redaction',
    anchorName: 'bare pino, same fields',
    metric: 'time',
    target: { max: 1.3 },
    async setup() {
      const ctx = createRequestContext({
        source: 'http',
        tenantId: 'tenant-1',
        principal: { id: 'user-1', roles: ['staff'] },
      });
      const base = {
        pid: process.pid,
        hostname: hostname(),
        service: 'bench',
        version: '1.0.0',
        env: 'production',
      };
      const oursOut = nullStream();
      const anchorOut = nullStream();
      const ours = createLogger({
        service: 'bench',
        version: '1.0.0',
        env: 'production',
        pretty: false,
        destination: oursOut,
        otel: null,
      });
      const bare = pino(
        {
          base,
          timestamp: pino.stdTimeFunctions.isoTime,
          formatters: { level: (label) => ({ level: label }) },
        },
        anchorOut,
      );
      const { correlationId, requestId, tenantId } = ctx;
      const userId = ctx.principal.id;
      // Object literals on both sides, built per call as a request logger would.
      const anchorLine = () =>
        bare.info(
          {
            correlationId,
            requestId,
            tenantId,
            userId,
            method: 'GET',
            route: '/v1/clients/:id',
            status: 200,
            durationMs: 3.2,
            headers: { authorization: 'Bearer abc.def.ghi', 'user-agent': 'curl/8.0' },
          },
          'request completed',
        );
      const oursLine = () =>
        ours.info(
          {
            method: 'GET',
            route: '/v1/clients/:id',
            status: 200,
            durationMs: 3.2,
            headers: { authorization: 'Bearer abc.def.ghi', 'user-agent': 'curl/8.0' },
          },
          'request completed',
        );
      return {
        anchor: () => runWithContext(ctx, anchorLine),
        subject: () => runWithContext(ctx, oursLine),
        check: () => (oursOut.bytes > 0 && anchorOut.bytes > 0 ? undefined : 'no output observed'),
      };
    },
  },
];
