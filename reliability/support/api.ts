import { randomUUID } from 'node:crypto';
import type { HttpResult, RequestSpec } from './http.js';
import { signToken } from './jwt.js';

/** `n` tenants, each with an admin token (spreads writes over several audit chains, as real traffic does). */
export async function tenantsWithTokens(n: number) {
  return Promise.all(Array.from({ length: n }, () => tenantWithToken()));
}

/** A tenant and an admin token for it (admin reads, writes, deletes and reads the audit trail). */
export async function tenantWithToken() {
  const tenantId = randomUUID();
  const token = await signToken({ tenantId, roles: ['admin'] });
  return { tenantId, token, auth: { authorization: `Bearer ${token}` } };
}

/** `POST /v1/clients` with a unique email (`run` keeps emails unique across phases). */
export const createClientSpec = (
  auth: Record<string, string>,
  run: string,
  i: number,
): RequestSpec => ({
  method: 'POST',
  path: '/v1/clients',
  headers: auth,
  body: { name: `Client ${i}`, email: `c${i}.${run}@reliability.test`, phone: '+44 20 7946 0958' },
});

export const readClientSpec = (auth: Record<string, string>, id: string): RequestSpec => ({
  path: `/v1/clients/${id}`,
  headers: auth,
});

/**
 * What is wrong with an error reply, per the contract (problem+json, no stack, and
 * Retry-After on a 503 unless `retryAfter` is false); undefined when fine.
 */
export function problemDefect(
  r: HttpResult,
  { retryAfter = true }: { retryAfter?: boolean } = {},
): string | undefined {
  if (r.status < 400) return undefined;
  const type = String(r.headers['content-type'] ?? '');
  if (!type.startsWith('application/problem+json'))
    return `${r.status} with content-type ${type || '(none)'}`;
  const body = r.json as { status?: unknown; title?: unknown } | undefined;
  if (!body || body.status !== r.status || typeof body.title !== 'string')
    return `${r.status} with a malformed problem body`;
  if (/\bat .+\.(js|ts):\d+/.test(r.body.toString('utf8'))) return `${r.status} leaks a stack`;
  if (retryAfter && r.status === 503 && r.headers['retry-after'] === undefined)
    return '503 without Retry-After';
  return undefined;
}

/** Bounded list of distinct defects (the first 20 kinds), for an assertion message. */
export function defectCollector() {
  const seen = new Map<string, number>();
  return {
    add(defect: string | undefined) {
      if (!defect) return;
      if (seen.size < 20 || seen.has(defect)) seen.set(defect, (seen.get(defect) ?? 0) + 1);
    },
    list: () => Object.fromEntries(seen),
  };
}
