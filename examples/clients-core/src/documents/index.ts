import type { AppDeps, Feature } from '../deps.js';
import { createDocumentEncryption } from './encryption.js';
import { createDocumentRepository } from './repository.js';
import { documentRoutes } from './routes.js';
import { createDocumentService } from './service.js';
import { createDocumentStore } from './storage.js';

/**
 * Client documents: S3 for the bytes (`S3_*`), envelope encryption with KMS
 * data keys (`KMS_KEY_ID`, or the local provider outside production),
 * metadata and retention in PostgreSQL. Contributes the `s3` and `kms`
 * readiness checks.
 *
 * @example
 * ```ts
 * const { routes, checks, close } = createDocumentsFeature(deps);
 * ```
 */
export function createDocumentsFeature(deps: AppDeps): Feature {
  const { config, logger } = deps;
  const encryption = createDocumentEncryption(config, logger);
  const store = createDocumentStore(config, logger);
  const service = createDocumentService({
    repository: createDocumentRepository(deps.db, deps.fields),
    store,
    envelope: encryption.envelope,
    audit: deps.audit.writer,
    logger,
    retentionDays: config.DOCUMENT_RETENTION_DAYS,
  });
  return {
    routes: documentRoutes(service, deps.db),
    checks: { s3: store.check, kms: encryption.check },
    async close() {
      store.close();
      encryption.close();
    },
  };
}
