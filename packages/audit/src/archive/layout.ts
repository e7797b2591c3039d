/**
 * `encodeURIComponent` always escapes `@`, so no tenant id can produce this folder name of
 * the no-tenant chain.
 */
const NO_TENANT_FOLDER = '@none';

/** Object keys of one chain's archive: `<prefix>/<tenant>/segments|digests/<seq…>`. */
export function archiveKeys(prefix: string, tenantId: string | null) {
  const folder = tenantId === null ? NO_TENANT_FOLDER : encodeURIComponent(tenantId);
  const base = `${prefix.replace(/\/+$/, '')}/${folder}`;
  const pad = (n: number) => String(n).padStart(16, '0');
  return {
    digests: `${base}/digests/`,
    segment: (from: number, to: number) => `${base}/segments/${pad(from)}-${pad(to)}.jsonl`,
    digest: (to: number) => `${base}/digests/${pad(to)}.json`,
  };
}
