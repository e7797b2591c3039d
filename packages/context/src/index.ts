export { createRequestContext } from './create.js';
export { getContext, requireContext, runWithContext, withContext } from './store.js';
export type {
  ContextPatch,
  ContextSource,
  Principal,
  PrincipalInit,
  RequestContext,
  RequestContextInit,
} from './types.js';
