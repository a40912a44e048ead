/**
 * @kwdb-connect/kwdb-client: the one place that talks SQL (over `pg`), for the
 * kwdb dialect (KWDB/KaiwuDB, held to its documented grammar by golden tests)
 * and the postgres dialect (tests and the local default).
 *
 * Sink:
 *   const client = await KwdbClient.connect(configFromConnector(props)); // or a KwdbClientConfig
 *   const { rowsWritten, rejected } = await client.write(batches);
 *     - each batch is checked against its real table (created when batch.canCreateTable;
 *       missing value columns and ordinary tags added when batch.canAddColumns, OpenTSDB);
 *     - line_influxdb's unnamed timestamp column ('') is the table's first column; rows
 *       without a timestamp get the time of the call (KwdbClientOptions.now);
 *     - rows with the same (timestamp, primary tags) within one call merge: a later row's
 *       given values override, keys it does not give keep the earlier values;
 *     - at most batch.size rows per statement; replaying the same rows is idempotent;
 *     - `rejected` lists rows refused with a permanent per-record error
 *       ({ batch, row, error }: indexes into `batches` and `batch.rows`);
 *       every other row was written;
 *     - a thrown error is a KwdbClientError; `error.retriable` says whether
 *       the caller may retry (max.retries / retry.backoff.ms are its policy).
 *   await client.ensureTable(batch)     // optional: create/check the table up front
 *
 * Source:
 *   await client.listTables()                       // string[]
 *   await client.describeTable(table)               // TableSchema: precision, columns, tags (primary flags); cached
 *     - `length` on every column and tag as json_kaiwudb states it: bits for fixed-size types
 *       (TIMESTAMP 64, INT8 64, INT4 32, INT2 16, FLOAT4 32, FLOAT8 64, BOOL 1), the declared
 *       size for CHAR/NCHAR/VARCHAR/NVARCHAR/VARBYTES (KWDB's default when none is declared);
 *       none for GEOMETRY;
 *   client.forgetSchema(table?)                     // the next describe/write reads the schema again
 *   await client.readAfter(table, cursor, limit, { until? })  // { rows, cursor } in (timestamp, primary tags) order
 *     - cursor null: from the first row; cursor { ts } only: rows with timestamp > ts;
 *     - until (epoch ns): only rows with timestamp <= until (INCLUSIVE), in the SQL;
 *     - rows sharing a timestamp are never skipped or repeated across pages;
 *     - timestamps are exact bigint epoch nanoseconds, INT8 values bigint.
 *   describeTable / readAfter on a table that does not exist or was dropped throw
 *   TableNotFoundError (SQLSTATE 42P01 included), never a plain DatabaseError.
 *
 * Both: `client.dialect` ('kwdb' | 'postgres'), `client.createDatabase(name)`
 * (CREATE TS DATABASE on kwdb; only when the user asked), `client.close()`.
 * Errors: every error is a KwdbClientError with a stable `code`;
 * `classifyError(e)` is the one classifier of driver errors.
 */

export { KwdbClient, type KwdbClientOptions } from './client';
export {
  configFromConnector,
  detectDialect,
  parseConnectionUrl,
  type KwdbClientConfig,
  type SslMode,
  type TlsOptions,
} from './connection/config';
export type { CreateDatabaseOptions } from './dialects/dialect';
export {
  ConfigError,
  ConnectionError,
  DatabaseError,
  IdentifierError,
  KwdbClientError,
  SchemaMismatchError,
  TableDefinitionError,
  TableNotFoundError,
  ValueError,
  classifyError,
  isRetriableSqlState,
  type ErrorCode,
} from './errors';
export { validateIdentifier, type DialectName } from './identifiers';
export type {
  Cursor,
  ReadResult,
  RejectedRow,
  TableColumn,
  TableSchema,
  TableTag,
  WriteResult,
} from './types';
