// What each dialect does against a live connection. The SQL text comes from
// pure builders in the dialect's folder; these functions only send it.

import type { Row } from '@kwdb-connect/formats';
import type pg from 'pg';
import type { DialectName } from '../identifiers';
import type { Cursor, PreparedRow, TableSchema } from '../types';

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
  /** The real schema, or undefined when the table does not exist. */
  describeTable(pool: pg.Pool, table: string): Promise<TableSchema | undefined>;
  listTables(pool: pg.Pool): Promise<string[]>;
  /** Writes at most batch.size checked rows in one statement; returns the rows acknowledged. */
  insert(pool: pg.Pool, schema: TableSchema, rows: PreparedRow[]): Promise<number>;
  readAfter(pool: pg.Pool, schema: TableSchema, cursor: Cursor | null, limit: number): Promise<Row[]>;
}
