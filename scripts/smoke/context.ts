// Usage of @plinth/context as a consumer writes it.
import {
  bindContext,
  CORRELATION_ID_HEADER,
  contextHeaders,
  createRequestContext,
  getContext,
  type RequestContext,
  resolveCorrelationId,
  runJob,
  runWithContext,
} from '@plinth/context';

const ctx: RequestContext = createRequestContext({ source: 'http', tenantId: 't1' });
const tenant: string | undefined = runWithContext(ctx, () => getContext()?.tenantId);
const resolved = resolveCorrelationId('abc-123');
const bound = bindContext(() => getContext()?.correlationId);
export const smokeContext = [
  tenant,
  resolved,
  bound,
  CORRELATION_ID_HEADER,
  runWithContext(ctx, () => contextHeaders()),
  runJob,
];
