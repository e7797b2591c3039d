/** An in-memory PostgreSQL (PGlite over pglite-socket) reachable at `connectionString`. */
export interface EmbeddedPostgres {
  readonly connectionString: string;
  stop(): Promise<void>;
}

export declare function startEmbeddedPostgres(options?: {
  host?: string;
}): Promise<EmbeddedPostgres>;
