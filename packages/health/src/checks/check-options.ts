/** Options every built-in check accepts; they map onto {@link CheckDefinition}. */
export interface BuiltInCheckOptions {
  /** Default `true`. */
  critical?: boolean;
  /** Default: the health instance's `timeoutMs`. */
  timeoutMs?: number;
  /** Optional, non-secret `componentId`. */
  componentId?: string;
}

/** Copies the defined options onto a check definition. */
export function withOptions<T extends object>(def: T, options: BuiltInCheckOptions | undefined) {
  const out: T & BuiltInCheckOptions = { ...def };
  if (options?.critical !== undefined) out.critical = options.critical;
  if (options?.timeoutMs !== undefined) out.timeoutMs = options.timeoutMs;
  if (options?.componentId !== undefined) out.componentId = options.componentId;
  return out;
}
