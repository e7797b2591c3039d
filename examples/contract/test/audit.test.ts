import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiFor, expectProblem, newClient } from './support/api.js';
import { type AuditView, auditTrail, waitForEvent } from './support/audit.js';
import { FRAMEWORKS } from './support/harness.js';
import { staffToken, type TenantTokens, tenantTokens } from './support/tokens.js';

describe.each(FRAMEWORKS)('audit trail on %s', (framework) => {
  const api = apiFor(framework);
  let t: TenantTokens;

  beforeAll(async () => {
    t = await tenantTokens();
  });

  const create = async () => {
    const reply = await api.call('POST', '/v1/clients', {
      token: t.staff,
      json: newClient('audit'),
    });
    expect(reply.status, reply.text).toBe(201);
    return reply.body;
  };

  it.each(['staff', 'viewer'] as const)(
    'refuses %s reading the audit trail with 403',
    async (role) => {
      const created = await create();
      expectProblem(
        await api.call('GET', `/v1/audit-events?resourceId=${created.id}`, { token: t[role] }),
        403,
      );
    },
  );

  it('refuses an anonymous audit read with 401', async () => {
    expectProblem(await api.call('GET', `/v1/audit-events?resourceId=${randomUUID()}`), 401);
  });

  it('records the create, update and delete of a client with their actors', async () => {
    const staffSub = randomUUID();
    const adminSub = randomUUID();
    const staff = await staffToken(t.tenantId, 'staff', { sub: staffSub });
    const admin = await staffToken(t.tenantId, 'admin', { sub: adminSub });
    const created = await api.call('POST', '/v1/clients', { token: staff, json: newClient('a') });
    expect(created.status, created.text).toBe(201);
    const id = created.body.id as string;
    const patched = await api.call('PATCH', `/v1/clients/${id}`, {
      token: staff,
      json: { phone: '+1 555 0100' },
      headers: { 'if-match': `"${created.body.version}"` },
    });
    expect(patched.status, patched.text).toBe(200);
    const deleted = await api.call('DELETE', `/v1/clients/${id}`, { token: admin });
    expect(deleted.status, deleted.text).toBe(204);

    await waitForEvent(api, t.admin, id, (e) => e.outcome === 'success' && e.actorId === adminSub);
    const trail = await auditTrail(api, t.admin, id);
    const successes = trail.filter((e) => e.outcome === 'success');
    expect(successes.filter((e) => e.actorId === staffSub).length).toBeGreaterThanOrEqual(2);
    const actions = successes.map((e) => e.action);
    expect(actions.some((a) => /creat/.test(a))).toBe(true);
    expect(actions.some((a) => /updat/.test(a))).toBe(true);
    expect(actions.some((a) => /delet/.test(a))).toBe(true);
  });

  it('records a read of personal data with the reader as actor', async () => {
    const created = await create();
    const viewerSub = randomUUID();
    const viewer = await staffToken(t.tenantId, 'viewer', { sub: viewerSub });
    expect((await api.call('GET', `/v1/clients/${created.id}`, { token: viewer })).status).toBe(
      200,
    );
    const read = await waitForEvent(api, t.admin, created.id, (e) => e.actorId === viewerSub);
    expect(read.outcome).toBe('success');
  });

  it('records a denied delete in the trail of the client it targeted', async () => {
    const created = await create();
    const staffSub = randomUUID();
    const staff = await staffToken(t.tenantId, 'staff', { sub: staffSub });
    const correlationId = `denied-${randomUUID()}`;
    const denied = await api.call('DELETE', `/v1/clients/${created.id}`, {
      token: staff,
      headers: { 'x-correlation-id': correlationId },
    });
    expectProblem(denied, 403);
    const event = await waitForEvent(
      api,
      t.admin,
      created.id,
      (e) => e.outcome === 'denied' && e.actorId === staffSub,
    );
    expect(event.correlationId).toBe(correlationId);
  });

  it('files requests for a client id written in upper case under that client’s trail', async () => {
    const created = await create();
    const staffSub = randomUUID();
    const staff = await staffToken(t.tenantId, 'staff', { sub: staffSub });
    const upper = (created.id as string).toUpperCase();
    const read = await api.call('GET', `/v1/clients/${upper}`, { token: staff });
    expect(read.status, read.text).toBe(200);
    expect(read.body.id).toBe(created.id);
    expectProblem(await api.call('DELETE', `/v1/clients/${upper}`, { token: staff }), 403);
    const denied = (e: AuditView) => e.outcome === 'denied' && e.actorId === staffSub;
    await waitForEvent(api, t.admin, created.id, denied);
    // The admin finds it whichever way the id is written.
    expect((await auditTrail(api, t.admin, upper)).some(denied)).toBe(true);
  });

  it('answers 400 with errors[] to an invalid audit query', async () => {
    const reply = await api.call('GET', '/v1/audit-events?limit=-1', { token: t.admin });
    expect(expectProblem(reply, 400).errors.length).toBeGreaterThan(0);
  });
});
