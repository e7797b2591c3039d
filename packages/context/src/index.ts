export { bindContext } from './bind.js';
export type { CorrelationIdSource, HeadersLike, ResolvedCorrelationId } from './correlation.js';
export {
  CORRELATION_ID_HEADER,
  correlationIdFromHeaders,
  isValidCorrelationId,
  REQUEST_ID_HEADER,
  resolveCorrelationId,
} from './correlation.js';
export { createRequestContext } from './create.js';
export type { EntryOptions } from './entry.js';
export { runCli, runJob } from './entry.js';
export type { ContextHeadersOptions } from './headers.js';
export { contextHeaders } from './headers.js';
export type { BaggageLike, OtelApiLike } from './otel.js';
export {
  deriveContext,
  getContext,
  requireContext,
  runWithContext,
  withContext,
} from './store.js';
export type {
  ContextPatch,
  ContextSource,
  Principal,
  PrincipalInit,
  RequestContext,
  RequestContextInit,
} from './types.js';
