import { loadConfig, secret } from '@plinth/config';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { capture } from './helpers.js';

// Values no redaction rule would catch by shape, so only the Secret brand protects them.
const secretValue = fc
  .string({ minLength: 8, maxLength: 40 })
  .filter((s) => /^[\w-]+$/.test(s))
  .map((s) => `ZQX${s}QXZ`);

describe('a @plinth/config secret in a log line', () => {
  it('is written as [redacted] wherever it sits in the logged object', async () => {
    await fc.assert(
      fc.asyncProperty(secretValue, async (value) => {
        const config = await loadConfig({
          schema: z.object({ API_TOKEN: secret(), NAME: z.string() }),
          env: { API_TOKEN: value, NAME: 'svc' },
          files: false,
        });
        const log = capture({ context: false, otel: null });
        log.logger.info(
          { config, token: config.API_TOKEN, nested: [{ t: config.API_TOKEN }] },
          'loaded',
        );
        expect(log.raw).toHaveLength(1);
        expect(log.raw[0]).not.toContain(value);
        expect(log.last()).toMatchObject({
          token: '[redacted]',
          config: { API_TOKEN: '[redacted]' },
        });
      }),
      { numRuns: 40 },
    );
  });
});
