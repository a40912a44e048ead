// Shapes shared by the client, the dialects and the schema checks.

import type { KwdbType, Precision, Row, Value } from '@kwdb-connect/formats';
import type { KwdbClientError } from './errors';

export type { DialectName } from './identifiers';

/** A data column of a real table. The first column of a table is its timestamp. */
export interface TableColumn {
  name: string;
  type: KwdbType;
  /** Bytes (CHAR, VARCHAR, VARBYTES) or characters (NCHAR, NVARCHAR); undefined = no limit known. */
  length?: number;
  nullable: boolean;
}

export interface TableTag extends TableColumn {
  primary: boolean;
}

/** The real schema of a table, as read from the database (or about to be created). */
export interface TableSchema {
  name: string;
  /** Precision of the table's timestamp columns: 'ms', 'us' or 'ns'. */
  precision: Exclude<Precision, 's'>;
  /** Data columns; columns[0] is the timestamp column. */
  columns: TableColumn[];
  tags: TableTag[];
}

/** Where a reader stopped: the last row's timestamp and primary tag values (in primary tag order). */
export interface Cursor {
  /** Epoch nanoseconds. */
  ts: bigint;
  /**
   * Primary tag values of the last row read. Omitted: every row with a timestamp
   * strictly greater than `ts` (use `ts = start - 1n` to start at `start`).
   */
  primaryTags?: Value[];
}

export interface ReadResult {
  /** Rows in (timestamp, primary tags) order, values as in the canonical model. */
  rows: Row[];
  /** The cursor after the last row, or the input cursor when no row was read. */
  cursor: Cursor | null;
}

/** A row that was not written, and why. `batch` and `row` index the input of `write`. */
export interface RejectedRow {
  batch: number;
  row: number;
  error: KwdbClientError;
}

export interface WriteResult {
  /** Rows the database acknowledged (duplicates of one key within a call count once). */
  rowsWritten: number;
  /** Rows refused with a permanent, per-record error; every other row was written. */
  rejected: RejectedRow[];
}

/**
 * A checked row: one value per table column then per tag, in schema order.
 * `undefined` means the row did not give the column (model.ts: "a missing key means not given"):
 * it is NULL in a new row, and keeps the stored or earlier value when rows of one key merge.
 */
export type PreparedRow = Array<Value | undefined>;

/** Columns and tags to add to an existing table (always nullable; never primary tags). */
export interface TableAdditions {
  columns: TableColumn[];
  tags: TableTag[];
}
