import type { ConfigIssue, ConfigIssueCode } from '@plinth/errors';

// The class is owned by @plinth/errors, so every package's configuration parser
// throws the same one (`instanceof ConfigError` holds whichever package threw it).
export { ConfigError, type ConfigIssue, type ConfigIssueCode } from '@plinth/errors';

/** An issue about a whole key (or file, or provider). */
export const keyIssue = (key: string, code: ConfigIssueCode, reason: string): ConfigIssue => ({
  key,
  path: [],
  code,
  reason,
});
