import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type AuditEventLike, defineRoute } from '../../src/index.js';
import { authAppOptions, authRoutes } from '../support/auth-app.js';
import { FRAMEWORKS, readJson, useApp } from '../support/fixture.js';
import { clientToken, staffToken } from '../support/tokens.js';

// ADR 0117: params, query and headers are validated first, then the pre-handlers run
// (authentication, guards), and only then is the body read, parsed and validated.
describe.each(FRAMEWORKS)('the body is read after authentication on %s', (framework) => {
  const events: AuditEventLike[] = [];
  let handled = 0;
  const create = defineRoute({
    method: 'POST',
    path: '/things',
    schema: { body: z.object({ name: z.string().min(1) }).strict() },
    policy: { roles: ['admin'] },
    status: 201,
    handler: ({ body }) => {
      handled++;
      return body;
    },
  });
  const t = useApp(
    framework,
    authAppOptions({
      routes: [...authRoutes, create],
      audit: { record: async (e: AuditEventLike) => void events.push(e) },
    }),
  );
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${t.app.url}/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('answers an anonymous request with a malformed body 401 (audited), not 400', async () => {
    events.length = 0;
    const res = await post('{');
    expect(res.status).toBe(401);
    expect((await readJson(res)).code).toBe('AUTH_TOKEN_MISSING');
    expect(events).toEqual([expect.objectContaining({ action: 'auth.token.rejected' })]);
  });

  it('answers a forbidden caller with an invalid body 403 (audited), not 400', async () => {
    events.length = 0;
    const res = await post('{"name":""}', bearer(await clientToken()));
    expect(res.status).toBe(403);
    expect(events).toEqual([
      expect.objectContaining({
        action: 'auth.access.denied',
        metadata: expect.objectContaining({ route: '/things', reason: 'role' }),
      }),
    ]);
  });

  it('answers an anonymous request with another media type 401, not 415', async () => {
    const res = await post('name=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(401);
  });

  it('answers an anonymous request over the body limit 401, not 413', async () => {
    const res = await post(JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }));
    expect(res.status).toBe(401);
  });

  it('reads and validates the body of an authorised caller', async () => {
    const admin = bearer(await staffToken());
    const before = handled;
    const bad = await post('{"name":"","extra":1}', admin);
    expect(bad.status).toBe(400);
    expect(((await readJson(bad)).errors ?? []).map((e) => e.path).sort()).toEqual([
      'body.extra',
      'body.name',
    ]);
    expect((await post('{', admin)).status).toBe(400);
    const ok = await post('{"name":"bolt"}', admin);
    expect(ok.status).toBe(201);
    expect(await readJson(ok)).toEqual({ name: 'bolt' });
    expect(handled).toBe(before + 1);
  });

  it('keeps the connection usable after refusing a request whose body it never read', async () => {
    const first = await post(JSON.stringify({ name: 'x'.repeat(64 * 1024) }));
    expect(first.status).toBe(401);
    const next = await post('{"name":"bolt"}', bearer(await staffToken()));
    expect(next.status).toBe(201);
  });
});
