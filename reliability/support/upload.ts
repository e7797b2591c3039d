import { request } from 'node:http';

/**
 * Starts a document upload declaring `declared` bytes, sends `send` bytes of it, runs
 * `midway` (e.g. cut S3), then either sends the rest or, with `abort`, destroys the
 * socket. Resolves with the status (0 when no response came) once settled.
 */
export function partialUpload(
  baseUrl: string,
  path: string,
  headers: Record<string, string>,
  o: { declared: number; send: number; abort: boolean; midway?: () => Promise<void> },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (status: number, body = '') => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ status, body });
    };
    const req = request(new URL(path, baseUrl), {
      method: 'POST',
      agent: false,
      headers: {
        ...headers,
        'content-type': 'application/pdf',
        'content-length': String(o.declared),
      },
    });
    const timer = setTimeout(() => {
      req.destroy();
      done(0, 'timeout');
    }, 30_000);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
      res.on('error', () => done(res.statusCode ?? 0));
    });
    req.on('error', () => done(0, 'connection closed'));
    const chunk = Buffer.alloc(64 * 1024, 0x25);
    const write = async (bytes: number) => {
      for (let sent = 0; sent < bytes && !settled; sent += chunk.length) {
        const n = Math.min(chunk.length, bytes - sent);
        if (!req.write(chunk.subarray(0, n)))
          await new Promise<void>((r) => req.once('drain', () => r()));
      }
    };
    void (async () => {
      await write(o.send);
      await o.midway?.();
      if (o.abort) {
        // Give the server a moment to read what was sent, then vanish.
        await new Promise((r) => setTimeout(r, 200));
        req.destroy();
        done(0, 'aborted by the client');
        return;
      }
      await write(o.declared - o.send);
      req.end();
    })();
  });
}
