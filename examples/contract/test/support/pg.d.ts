// The part of pg the suite uses (no @types/pg in this package's dependencies).
declare module 'pg' {
  interface QueryResult<Row> {
    rows: Row[];
  }
  class Client {
    constructor(options: { connectionString: string });
    connect(): Promise<void>;
    query<Row = Record<string, unknown>>(
      text: string,
      values?: unknown[],
    ): Promise<QueryResult<Row>>;
    end(): Promise<void>;
  }
  const pg: { Client: typeof Client };
  export default pg;
}
