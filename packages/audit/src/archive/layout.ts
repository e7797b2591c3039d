/** Object keys of one tenant's archive: `<prefix>/<tenant>/segments|digests/<seq…>`. */
export function archiveKeys(prefix: string, tenantId: string) {
  const base = `${prefix.replace(/\/+$/, '')}/${encodeURIComponent(tenantId)}`;
  const pad = (n: number) => String(n).padStart(16, '0');
  return {
    digests: `${base}/digests/`,
    segment: (from: number, to: number) => `${base}/segments/${pad(from)}-${pad(to)}.jsonl`,
    digest: (to: number) => `${base}/digests/${pad(to)}.json`,
  };
}
