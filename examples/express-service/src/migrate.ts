// `pnpm migrate`: applies the service's and the audit log's pending migrations, then exits.
import {
  exitOnStartupFailure,
  loadClientsConfig,
  migrateClientsDatabase,
} from '@plinth-example/clients-core';

try {
  await migrateClientsDatabase(await loadClientsConfig());
} catch (err) {
  exitOnStartupFailure(err);
}
