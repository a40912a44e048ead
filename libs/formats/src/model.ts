// The canonical model shared by every format, the sink and the source.
// A Batch is what one message decodes to for one table; it is also what the
// source encodes. Values are exact: INT8 values are bigint, timestamps are
// bigint nanoseconds since the Unix epoch (UTC). No value that can exceed
// 2^53 ever passes through a JS number.

/** KWDB column and tag types (reference: KWDB "Data types in time-series tables"). */
export const KWDB_TYPES = [
  'TIMESTAMP',
  'TIMESTAMPTZ',
  'INT2',
  'INT4',
  'INT8',
  'FLOAT4',
  'FLOAT8',
  'BOOL',
  'CHAR',
  'NCHAR',
  'VARCHAR',
  'NVARCHAR',
  'VARBYTES',
  'GEOMETRY',
] as const;
export type KwdbType = (typeof KWDB_TYPES)[number];

/** Timestamp precisions: the unit of epoch numbers in messages and of the table's timestamp column. */
export const PRECISIONS = ['s', 'ms', 'us', 'ns'] as const;
export type Precision = (typeof PRECISIONS)[number];

/** The four message formats of the product guide (sink `protocol.type`, source `out.format`). */
export const PROTOCOLS = ['json_kaiwudb', 'json_opentsdb', 'line_opentsdb', 'line_influxdb'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export interface ColumnDef {
  /**
   * Column or tag name as written in the message. For line_influxdb the timestamp column's name is not
   * in the message: it is `LINE_INFLUXDB_TIMESTAMP` (the empty string), meaning "the table's first column".
   */
  name: string;
  type: KwdbType;
  /** Length as the message states it: bits for numbers (as in the guide's examples), bytes or characters for text. */
  length?: number;
  /**
   * True when the type was inferred from how a value was written (line_influxdb):
   * the real type comes from the existing table, and values are coerced with `coerceValue`.
   */
  inferred?: boolean;
  /**
   * Whether a data column accepts NULL, when the message says so (json_kaiwudb `nullable`).
   * Undefined means "not stated" (KWDB's default: nullable). Tags always state it (TagDef).
   */
  nullable?: boolean;
}

export interface TagDef extends ColumnDef {
  primary: boolean;
  nullable: boolean;
}

/**
 * A value as written in a message whose format does not fix the KWDB type
 * (line_influxdb): the writer coerces it to the table's real column type with
 * `coerceValue` once it has read the table's schema.
 */
export interface WrittenValue {
  readonly kind: 'written';
  /** How the value was written: a number with its suffix (or none), a quoted string, an L"" string, a boolean. */
  readonly form:
    | 'int2'
    | 'int4'
    | 'int8'
    | 'float4'
    | 'float8'
    | 'number'
    | 'string'
    | 'nstring'
    | 'bool'
    /** An unquoted tag value (line_influxdb tag set): plain text, parsed as whatever the tag's real type needs. */
    | 'bare';
  /** The value's text after unescaping (digits as written for numbers, without suffix; no quotes for strings). */
  readonly text: string;
}

/**
 * A cell value. Which variant a cell holds is fixed by its column's type:
 * TIMESTAMP/TIMESTAMPTZ -> bigint (epoch nanoseconds, UTC); INT2/INT4 -> number; INT8 -> bigint;
 * FLOAT4/FLOAT8 -> number; BOOL -> boolean; CHAR/NCHAR/VARCHAR/NVARCHAR/GEOMETRY -> string;
 * VARBYTES -> Uint8Array; an inferred column -> WrittenValue. null is SQL NULL.
 */
export type Value = null | boolean | number | bigint | string | Uint8Array | WrittenValue;

/**
 * One row, keyed by column and tag name. A missing key means "not given" (NULL where allowed).
 * Read values with `rowValue(row, name)` (own keys only): `row.constructor` is Object's, not a column.
 */
export type Row = Record<string, Value | undefined>;

export interface Batch {
  /** Target table name as given in the message (validated and quoted by the writer, never trusted). */
  table: string;
  /** Data columns; the first is the timestamp column. */
  columns: ColumnDef[];
  tags: TagDef[];
  rows: Row[];
  /**
   * The precision of the table's timestamp column to create (from `timestamp.precision`).
   * KWDB has no second-precision column: OpenTSDB messages decoded with precision 's' give 'ms'.
   */
  precision: Precision;
  /** False when the format cannot create tables (line_influxdb): the table must already exist. */
  canCreateTable: boolean;
  /**
   * True when the format may bring new value columns and ordinary tags for an existing table
   * (OpenTSDB: each record may name other metrics and tags of the same table); the writer adds them
   * (nullable). Primary tags are never added. Undefined means false: the table must already have
   * every column and tag of the batch.
   */
  canAddColumns?: boolean;
}

/**
 * Name of the timestamp column in line_influxdb batches. A line does not name its timestamp column:
 * this empty name (never a valid column name) means "the table's first column". Its value is a bigint
 * of epoch nanoseconds; a line without a timestamp leaves the key out (the writer stamps the row).
 */
export const LINE_INFLUXDB_TIMESTAMP = '';
