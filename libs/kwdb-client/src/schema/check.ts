// Checks a batch against the real table and turns its rows into checked rows
// in the table's column order. Batch-level problems (unknown column, an
// incompatible declared type, a missing primary tag) throw a
// SchemaMismatchError; a bad value rejects only its own row. Nothing is
// silently dropped: a row key the table does not have is an error too.

import type { Batch, ColumnDef, KwdbType, Precision, Row, Value, WrittenValue } from '@kwdb-connect/formats';
import { rowValue } from '@kwdb-connect/formats';
import { KwdbClientError, SchemaMismatchError, ValueError, type ValueErrorCode } from '../errors';
import type { PreparedRow, TableColumn, TableSchema } from '../types';
import { INTEGER_TIMESTAMP_UNIT, LENGTH_TYPES } from '../kwdb-rules';
import { checkValue } from './values';

/** Converts a line_influxdb written value to the column's real type (formats' `coerceValue`). */
export type CoerceFn = (value: WrittenValue, type: KwdbType, length?: number, precision?: Precision) => Value;

/** Types that hold the same kind of value: a batch may declare any member of the family of the real type. */
const FAMILY: Record<KwdbType, string> = {
  TIMESTAMP: 'timestamp',
  TIMESTAMPTZ: 'timestamp',
  INT2: 'integer',
  INT4: 'integer',
  INT8: 'integer',
  FLOAT4: 'float',
  FLOAT8: 'float',
  BOOL: 'bool',
  CHAR: 'text',
  NCHAR: 'text',
  VARCHAR: 'text',
  NVARCHAR: 'text',
  GEOMETRY: 'geometry',
  VARBYTES: 'bytes',
};

/** `VARCHAR(64)`, `INT8`: how a type is shown in errors. */
export function showType(column: { type: KwdbType; length?: number }): string {
  const hasLength = LENGTH_TYPES.includes(column.type);
  return hasLength && column.length !== undefined ? `${column.type}(${column.length})` : column.type;
}

/** All columns then all tags: the order of a PreparedRow. */
export function allColumns(schema: TableSchema): TableColumn[] {
  return [...schema.columns, ...schema.tags];
}

/** The key of a row: the timestamp column, then the primary tags. */
export function keyColumns(schema: TableSchema): TableColumn[] {
  const [ts] = schema.columns;
  return [...(ts ? [ts] : []), ...schema.tags.filter((t) => t.primary)];
}

function isWritten(value: Value | undefined): value is WrittenValue {
  return (
    typeof value === 'object' && value !== null && !(value instanceof Uint8Array) && value.kind === 'written'
  );
}

/** Throws a SchemaMismatchError when the batch's definitions do not fit the table. */
export function checkBatchShape(batch: Batch, schema: TableSchema): void {
  const real = new Map(allColumns(schema).map((c) => [c.name, c]));
  const defs: ColumnDef[] = [...batch.columns, ...batch.tags];
  for (const def of defs) {
    const column = real.get(def.name);
    if (!column)
      throw new SchemaMismatchError(schema.name, def.name, 'a column or tag of the table', 'unknown column');
    if (!def.inferred && FAMILY[def.type] !== FAMILY[column.type]) {
      throw new SchemaMismatchError(schema.name, def.name, showType(column), showType(def));
    }
  }
  const given = new Set(defs.map((d) => d.name));
  const ts = schema.columns[0];
  if (ts && !given.has(ts.name)) {
    throw new SchemaMismatchError(
      schema.name,
      ts.name,
      `timestamp column "${ts.name}"`,
      'no such column in the batch',
    );
  }
  for (const tag of schema.tags) {
    if (tag.primary && !given.has(tag.name)) {
      throw new SchemaMismatchError(
        schema.name,
        tag.name,
        `primary tag ${showType(tag)}`,
        'missing primary tag',
      );
    }
  }
}

/** Our code for a formats FormatError thrown by `coerceValue`. */
function valueCodeOf(e: unknown): ValueErrorCode {
  const code = String((e as { code?: unknown }).code ?? '');
  if (code === 'FORMAT_VALUE_TOO_LONG') return 'VALUE_TOO_LONG';
  if (code === 'FORMAT_INT_OVERFLOW' || code === 'FORMAT_FLOAT_OVERFLOW') return 'VALUE_OUT_OF_RANGE';
  if (code === 'FORMAT_INVALID_UTF8') return 'TEXT_INVALID';
  return 'VALUE_INVALID';
}

export interface PreparedBatch {
  /** Checked rows with their index in batch.rows. */
  rows: Array<{ index: number; values: PreparedRow }>;
  rejected: Array<{ index: number; error: KwdbClientError }>;
}

/** Throws a SchemaMismatchError for the first key of `row` that is not a column or tag of the table. */
function rejectUnknownKeys(row: Row, known: Set<string>, schema: TableSchema): void {
  for (const key of Object.keys(row)) {
    if (!known.has(key) && row[key] !== undefined) {
      throw new SchemaMismatchError(schema.name, key, 'a column or tag of the table', 'unknown column');
    }
  }
}

/** One value of a row, converted (a written value) and checked for its column. */
function preparedValue(
  value: Value | undefined,
  column: TableColumn,
  schema: TableSchema,
  coerce: CoerceFn,
): Value | undefined {
  // Not given: NULL for a new row, the earlier value when rows merge (checked: NOT NULL needs a value).
  if (value === undefined) return column.nullable ? undefined : checkValue(value, column, schema);
  if (isWritten(value)) {
    try {
      // A bare integer for a TIMESTAMP is in milliseconds whatever the column's precision
      // (kwdb-rules.ts INTEGER_TIMESTAMP_UNIT); checkValue then checks the column's range.
      value = coerce(value, column.type, column.length, INTEGER_TIMESTAMP_UNIT);
    } catch (e) {
      if (e instanceof KwdbClientError) throw e;
      throw new ValueError(valueCodeOf(e), schema.name, column.name, (e as Error).message);
    }
  }
  return checkValue(value, column, schema);
}

/**
 * Checks every row of a batch whose shape `checkBatchShape` accepted. Written
 * (line_influxdb) values are coerced with `coerce` to the real column type
 * first (an integer for a TIMESTAMP column is epoch milliseconds); then every value goes
 * through `checkValue`. A row reads only its own keys (a column named "constructor" that the row
 * does not give is not given). Plain loops: this runs once per value written (issue 17).
 */
export function prepareRows(batch: Batch, schema: TableSchema, coerce: CoerceFn): PreparedBatch {
  const columns = allColumns(schema);
  const width = columns.length;
  const names = columns.map((c) => c.name);
  let known: Set<string> | undefined;
  const out: PreparedBatch = { rows: [], rejected: [] };
  for (let index = 0; index < batch.rows.length; index++) {
    const row = batch.rows[index]!;
    try {
      let matched = 0;
      for (let i = 0; i < width; i++) if (Object.hasOwn(row, names[i]!)) matched++;
      let keys = 0;
      for (const key in row) if (Object.hasOwn(row, key)) keys++;
      if (keys !== matched) rejectUnknownKeys(row, (known ??= new Set(names)), schema);
      const values: PreparedRow = new Array<Value | undefined>(width);
      for (let i = 0; i < width; i++) {
        values[i] = preparedValue(rowValue(row, names[i]!), columns[i]!, schema, coerce);
      }
      out.rows.push({ index, values });
    } catch (e) {
      if (!(e instanceof KwdbClientError)) throw e;
      out.rejected.push({ index, error: e });
    }
  }
  return out;
}
