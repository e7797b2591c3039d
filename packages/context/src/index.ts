// The context
export type {
  ContextPatch,
  ContextSource,
  Principal,
  PrincipalInit,
  RequestContext,
  RequestContextInit,
} from './types.js';
export { createRequestContext } from './create.js';
export { deriveContext } from './store.js';

// Running code in a context
export {
  enterContext,
  getContext,
  requireContext,
  runWithContext,
  withContext,
} from './store.js';
export { bindContext } from './bind.js';

// Correlation ids
export type { CorrelationIdSource, HeadersLike, ResolvedCorrelationId } from './correlation.js';
export {
  CORRELATION_ID_HEADER,
  correlationIdFromHeaders,
  isValidCorrelationId,
  REQUEST_ID_HEADER,
  resolveCorrelationId,
} from './correlation.js';

// Outgoing calls
export type { ContextHeadersOptions } from './headers.js';
export { contextHeaders } from './headers.js';
export type { BaggageLike, OtelApiLike } from './otel.js';

// Jobs and scripts
export type { EntryOptions } from './entry.js';
export { runCli, runJob } from './entry.js';
