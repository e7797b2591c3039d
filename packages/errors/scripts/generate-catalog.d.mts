import type * as errors from '@plinth/errors';

export declare const CATALOG_PATH: URL;
export declare function renderBuiltinCatalog(lib: typeof errors): string;
