// What each dialect does against a live connection. The SQL text comes from
// pure builders in the dialect's folder; these functions only send it.

import type { Row } from '@kwdb-connect/formats';
import type pg from 'pg';
import type { DialectName } from '../identifiers';
import type { Cursor, PreparedRow, TableAdditions, TableSchema } from '../types';

export interface CreateDatabaseOptions {
  /** kwdb only: `RETENTIONS <dur>`, e.g. `50d`. */
  retentions?: string;
  /** kwdb only: `PARTITION INTERVAL <dur>`, e.g. `1d`. */
  partitionInterval?: string;
}

export interface Dialect {
  readonly name: DialectName;
  createDatabase(pool: pg.Pool, name: string, options: CreateDatabaseOptions): Promise<void>;
  /** Creates the table if it does not exist; safe when several clients do it at once. */
  createTable(pool: pg.Pool, schema: TableSchema): Promise<void>;
  /**
   * Adds nullable columns and ordinary tags to an existing table; a column or tag that is already
   * there (added by a concurrent writer) is not an error. The caller reads the schema again after.
   */
  addColumns(pool: pg.Pool, schema: TableSchema, additions: TableAdditions): Promise<void>;
  /** The real schema, or undefined when the table does not exist. */
  describeTable(pool: pg.Pool, table: string): Promise<TableSchema | undefined>;
  listTables(pool: pg.Pool): Promise<string[]>;
  /**
   * Writes at most batch.size checked rows with distinct keys (the writer merged rows of one key);
   * returns the rows acknowledged. An undefined value is "not given": NULL in a new row.
   */
  insert(pool: pg.Pool, schema: TableSchema, rows: PreparedRow[]): Promise<number>;
  /** Rows after `cursor`, at most `limit`, with timestamp <= `until` (inclusive) when given. */
  readAfter(
    pool: pg.Pool,
    schema: TableSchema,
    cursor: Cursor | null,
    limit: number,
    until?: bigint,
  ): Promise<Row[]>;
}
