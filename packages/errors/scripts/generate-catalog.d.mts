import type * as errors from '@plinth/errors';
import type * as catalog from '@plinth/errors/catalog';

export declare const CATALOG_PATH: URL;
export declare function renderBuiltinCatalog(
  lib: typeof errors,
  catalogLib: typeof catalog,
): string;
