import type { Environment } from './environment.js';

/** What a provider is told about one key it may supply. */
export interface ProviderKey {
  readonly key: string;
  readonly secret: boolean;
  readonly description: string | undefined;
}

/** The request `loadConfig` passes to {@link ConfigProvider.load}. */
export interface ProviderRequest {
  /** Keys the schema declares that the real environment does not set. */
  readonly keys: readonly ProviderKey[];
  readonly environment: Environment;
}

/**
 * An async source of values, typically a secret store. Contract:
 * - `load` is called once per `loadConfig`, after the real environment is
 *   read and before validation, with the keys still unset;
 * - it resolves to env-style strings for the keys it knows; keys it does not
 *   know are left out (or `undefined`); keys not requested are ignored;
 * - values are strings — the schema parses them like any env value;
 * - it rejects only for a real failure (unreachable store, denied access),
 *   never for "not found"; the rejection becomes a `provider_failed` issue.
 *   Its message must not contain secret values;
 * - it applies its own timeout.
 * Providers listed earlier win; the real environment wins over all of them,
 * and providers win over `.env` files.
 */
export interface ConfigProvider {
  /** Short name used in error messages, e.g. `files` or `aws-secrets`. */
  readonly name: string;
  load(request: ProviderRequest): Promise<Readonly<Record<string, string | undefined>>>;
}
