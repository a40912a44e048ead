// Pure SQL builders and row converters of the postgres dialect. See
// docs/adr/0002-postgres-dialect.md for the storage decisions:
// - one table per KWDB table, columns then tags, PRIMARY KEY (timestamp, primary tags);
// - the KWDB definition (types, lengths, tags, primary tags, precision) is
//   recorded as JSON in the `kwdb_connect_tables` metadata table;
// - timestamp columns are timestamptz(3) / timestamptz(6) for ms / us tables
//   and int8 epoch nanoseconds for ns tables (timestamptz holds only microseconds);
// - writes: a binary COPY of the rows first (pgCopyBinary); when a key is already in the table the
//   COPY fails as a whole and the rows go through INSERT ... SELECT FROM unnest($n::type[]) ... ON
//   CONFLICT DO UPDATE of the columns the rows give (rows grouped by their set of given columns): a
//   later write never erases a column it does not give (the OpenTSDB points of one row arrive in
//   separate records). Number, boolean and timestamp arrays are sent in binary format, text and
//   bytes as array literals.

import type { KwdbType, Row, Value } from '@kwdb-connect/formats';
import { quoteIdentifier } from '../../identifiers';
import { toHex } from '../../literals';
import { formatTimestamp } from '../../timestamps';
import type { Cursor, PreparedRow, TableAdditions, TableColumn, TableSchema, TableTag } from '../../types';
import { allColumns, keyColumns } from '../../schema/check';

export const METADATA_TABLE = 'kwdb_connect_tables';

/** Advisory lock key held while creating tables, so concurrent creators queue instead of colliding. */
export const DDL_LOCK_KEY = 7_235_406_001;

const isTimestamp = (type: KwdbType): boolean => type === 'TIMESTAMP' || type === 'TIMESTAMPTZ';

/** The PostgreSQL type storing a KWDB type in a table of `precision`. */
export function pgType(type: KwdbType, precision: TableSchema['precision']): string {
  switch (type) {
    case 'TIMESTAMP':
    case 'TIMESTAMPTZ':
      return precision === 'ns' ? 'int8' : precision === 'us' ? 'timestamptz(6)' : 'timestamptz(3)';
    case 'INT2':
      return 'int2';
    case 'INT4':
      return 'int4';
    case 'INT8':
      return 'int8';
    case 'FLOAT4':
      return 'float4';
    case 'FLOAT8':
      return 'float8';
    case 'BOOL':
      return 'bool';
    case 'VARBYTES':
      return 'bytea';
    default:
      return 'text'; // CHAR, NCHAR, VARCHAR, NVARCHAR, GEOMETRY: lengths are checked client-side (bytes vs characters)
  }
}

/** pgType without a typmod, for casts of parameters: `timestamptz(3)` -> `timestamptz`. */
export function pgCastType(type: KwdbType, precision: TableSchema['precision']): string {
  return pgType(type, precision).replace(/\(\d+\)$/, '');
}

export function createMetadataTableSql(): string {
  return (
    `CREATE TABLE IF NOT EXISTS ${METADATA_TABLE} (` +
    'table_name text PRIMARY KEY, definition jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())'
  );
}

export function lockSql(): string {
  return `SELECT pg_advisory_xact_lock(${DDL_LOCK_KEY})`;
}

/** CREATE TABLE IF NOT EXISTS with every column and tag, primary key (timestamp, primary tags). */
export function createTableSql(schema: TableSchema): string {
  const defs = allColumns(schema).map(
    (c) => `${quoteIdentifier(c.name)} ${pgType(c.type, schema.precision)}${c.nullable ? '' : ' NOT NULL'}`,
  );
  const key = keyColumns(schema).map((c) => quoteIdentifier(c.name));
  return `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(schema.name)} (${defs.join(', ')}, PRIMARY KEY (${key.join(', ')}))`;
}

/** The recorded definition: what the catalogs cannot say (KWDB types, lengths, tags, precision). */
export interface RecordedDefinition {
  precision: TableSchema['precision'];
  columns: Array<Omit<TableColumn, 'nullable'>>;
  tags: Array<Omit<TableTag, 'nullable'>>;
}

export function recordTableSql(schema: TableSchema): { text: string; values: string[] } {
  const definition: RecordedDefinition = {
    precision: schema.precision,
    columns: schema.columns.map(({ name, type, length }) => ({ name, type, ...(length ? { length } : {}) })),
    tags: schema.tags.map(({ name, type, length, primary }) => ({
      name,
      type,
      primary,
      ...(length ? { length } : {}),
    })),
  };
  return {
    text: `INSERT INTO ${METADATA_TABLE} (table_name, definition) VALUES ($1, $2) ON CONFLICT (table_name) DO NOTHING`,
    values: [schema.name, JSON.stringify(definition)],
  };
}

/** formatTimestamp's options for PostgreSQL text: years before 1 as `... BC` (one object, not one per value). */
const BC_YEARS = { bc: true } as const;

/** Converts one checked, non-null value of a column to the text PostgreSQL parses for its type. */
type PgTextFn = (value: Value) => string;

const numberText: PgTextFn = (value) => (Object.is(value, -0) ? '-0' : String(value));
const plainText: PgTextFn = (value) => String(value);
const bytesText: PgTextFn = (value) => `\\x${toHex(value as Uint8Array)}`;
const boolText: PgTextFn = (value) => (value ? 't' : 'f');
const nsText: PgTextFn = (value) => (value as bigint).toString();
const timestampText: PgTextFn = (value) => formatTimestamp(value as bigint, 6, BC_YEARS);

/**
 * The converter for a column's values, chosen once per column (the writer converts every value:
 * issue 17). Timestamps are bigint epoch ns: integer text in ns tables, timestamptz text otherwise.
 */
export function pgTextOf(type: KwdbType, precision: TableSchema['precision']): PgTextFn {
  if (isTimestamp(type)) return precision === 'ns' ? nsText : timestampText;
  switch (type) {
    case 'BOOL':
      return boolText;
    case 'VARBYTES':
      return bytesText;
    case 'INT2':
    case 'INT4':
    case 'FLOAT4':
    case 'FLOAT8':
      return numberText;
    default:
      return plainText; // INT8 bigints, text
  }
}

/** One checked value as the text PostgreSQL parses for its column type (null for NULL). */
export function toPgText(
  value: Value | undefined,
  type: KwdbType,
  precision: TableSchema['precision'],
): string | null {
  return value === null || value === undefined ? null : pgTextOf(type, precision)(value);
}

/**
 * The write statement for the columns at `given` (indexes into allColumns(schema); default: all):
 * one array parameter per column, unnested into rows, ON CONFLICT updating only those columns.
 * The plan does not depend on the number of rows, so it is prepared once per connection.
 */
export function unnestInsertSql(schema: TableSchema, given?: readonly number[]): string {
  const all = allColumns(schema);
  const columns = given === undefined ? all : given.map((i) => all[i]!);
  const names = columns.map((c) => quoteIdentifier(c.name));
  const arrays = columns.map((c, i) => `$${i + 1}::${pgCastType(c.type, schema.precision)}[]`);
  const keys = new Set(keyColumns(schema).map((c) => c.name));
  const rest = columns.filter((c) => !keys.has(c.name)).map((c) => quoteIdentifier(c.name));
  const conflictTarget = keyColumns(schema).map((c) => quoteIdentifier(c.name));
  // Rows that give only their key still count as written: the no-op update of the timestamp
  // reports them (DO NOTHING would report 0 rows for a replay).
  const updated = rest.length === 0 ? conflictTarget.slice(0, 1) : rest;
  const onConflict = `DO UPDATE SET ${updated.map((n) => `${n} = EXCLUDED.${n}`).join(', ')}`;
  return (
    `INSERT INTO ${quoteIdentifier(schema.name)} (${names.join(', ')}) ` +
    `SELECT * FROM unnest(${arrays.join(', ')}) ` +
    `ON CONFLICT (${conflictTarget.join(', ')}) ${onConflict}`
  );
}

/** Rows that give the same columns, and those columns (indexes into allColumns(schema)). */
export interface GivenGroup {
  given: number[];
  rows: PreparedRow[];
}

/**
 * Groups rows by the set of columns they give (undefined = not given), in order of first
 * appearance. Rows that give every column (the usual case) form one group.
 */
export function groupByGiven(schema: TableSchema, rows: readonly PreparedRow[]): GivenGroup[] {
  const width = allColumns(schema).length;
  const givesAll = (row: PreparedRow): boolean => {
    for (let i = 0; i < width; i++) if (row[i] === undefined) return false;
    return true;
  };
  if (rows.every(givesAll))
    return rows.length === 0 ? [] : [{ given: [...Array(width).keys()], rows: [...rows] }];
  const groups = new Map<string, GivenGroup>();
  for (const row of rows) {
    let mask = '';
    for (let i = 0; i < width; i++) mask += row[i] === undefined ? '0' : '1';
    let group = groups.get(mask);
    if (group === undefined) {
      const given: number[] = [];
      for (let i = 0; i < width; i++) if (mask[i] === '1') given.push(i);
      group = { given, rows: [] };
      groups.set(mask, group);
    }
    group.rows.push(row);
  }
  return [...groups.values()];
}

/**
 * A PostgreSQL array literal: `{1,NULL,3}` or `{"a","b \"c\"",NULL}`. Quoted
 * elements escape `\` and `"`, so any text stays one element; NULL is only
 * ever the unquoted keyword. Built here rather than by pg's generic array
 * serialiser: this is the hot path of every write.
 */
export function pgArrayLiteral(values: Array<string | null>, quote: boolean): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    out += arrayElement(values[i] ?? null, quote);
  }
  return out + '}';
}

/** One element of an array literal: NULL, the bare text, or `"..."` with `\\` and `"` escaped. */
function arrayElement(text: string | null, quote: boolean): string {
  if (text === null) return 'NULL';
  if (!quote) return text;
  return text.includes('"') || text.includes('\\') ? `"${text.replace(/[\\"]/g, '\\$&')}"` : `"${text}"`;
}

/**
 * How a column's values travel as a binary array parameter (issue 17): numbers, booleans and
 * timestamps. PostgreSQL reads them without parsing text (no float or timestamp parsing on the
 * server) and the writer never turns a number into text. `oid` is the element type of the cast in
 * unnestInsertSql (the server refuses an array of another element type); `width` is the bytes of
 * one element; `write` stores one checked, non-null value at `at` (big-endian, as PostgreSQL's
 * binary format is).
 */
export interface BinaryElement {
  oid: number;
  width: number;
  write: (view: DataView, at: number, value: Value) => void;
}

/** PostgreSQL's type OIDs (pg_type.oid, fixed since the first releases). */
const OID = { bool: 16, int8: 20, int2: 21, int4: 23, float4: 700, float8: 701, timestamptz: 1184 } as const;

/** 2000-01-01T00:00:00Z in epoch microseconds: PostgreSQL's binary timestamps count from there. */
const PG_EPOCH_US = 946_684_800_000_000n;

/** floor(ns / 1000): the microseconds of an epoch-ns timestamp, the cut formatTimestamp(..., 6) makes. */
function epochMicros(ns: bigint): bigint {
  const us = ns / 1000n;
  return ns < 0n && us * 1000n !== ns ? us - 1n : us;
}

const BINARY_TIMESTAMPTZ: BinaryElement = {
  oid: OID.timestamptz,
  width: 8,
  write: (view, at, value) => view.setBigInt64(at, epochMicros(value as bigint) - PG_EPOCH_US),
};
const BINARY_INT8: BinaryElement = {
  oid: OID.int8,
  width: 8,
  write: (view, at, value) => view.setBigInt64(at, value as bigint),
};
const BINARY_ELEMENTS: Partial<Record<KwdbType, BinaryElement>> = {
  INT2: { oid: OID.int2, width: 2, write: (view, at, value) => view.setInt16(at, value as number) },
  INT4: { oid: OID.int4, width: 4, write: (view, at, value) => view.setInt32(at, value as number) },
  INT8: BINARY_INT8,
  FLOAT4: { oid: OID.float4, width: 4, write: (view, at, value) => view.setFloat32(at, value as number) },
  FLOAT8: { oid: OID.float8, width: 8, write: (view, at, value) => view.setFloat64(at, value as number) },
  BOOL: { oid: OID.bool, width: 1, write: (view, at, value) => view.setUint8(at, value ? 1 : 0) },
};

/**
 * The binary form of a column's values, or undefined for columns sent as text (text, bytes).
 * Timestamps are timestamptz (microseconds since 2000) in ms/us tables and int8 epoch ns in ns
 * tables, as pgCastType casts them.
 */
export function binaryElementOf(
  type: KwdbType,
  precision: TableSchema['precision'],
): BinaryElement | undefined {
  if (isTimestamp(type)) return precision === 'ns' ? BINARY_INT8 : BINARY_TIMESTAMPTZ;
  return BINARY_ELEMENTS[type];
}

/**
 * A one-dimensional array in PostgreSQL's binary format (array_recv): dimensions, a has-NULL
 * flag, the element type, the length and lower bound 1, then per element its byte length (-1 for
 * NULL) and its bytes. No rows: an empty array (no dimensions).
 */
export function pgBinaryArray(element: BinaryElement, rows: readonly PreparedRow[], column: number): Buffer {
  let nulls = 0;
  for (let r = 0; r < rows.length; r++) {
    const value = rows[r]![column];
    if (value === null || value === undefined) nulls++;
  }
  const header = rows.length === 0 ? 12 : 20;
  const size = header + rows.length * 4 + (rows.length - nulls) * element.width;
  const buffer = Buffer.allocUnsafe(size);
  const view = new DataView(buffer.buffer, buffer.byteOffset, size);
  view.setInt32(0, rows.length === 0 ? 0 : 1);
  view.setInt32(4, nulls > 0 ? 1 : 0);
  view.setInt32(8, element.oid);
  if (rows.length === 0) return buffer;
  view.setInt32(12, rows.length);
  view.setInt32(16, 1);
  let at = header;
  for (let r = 0; r < rows.length; r++) {
    const value = rows[r]![column];
    if (value === null || value === undefined) {
      view.setInt32(at, -1);
      at += 4;
    } else {
      view.setInt32(at, element.width);
      element.write(view, at + 4, value);
      at += 4 + element.width;
    }
  }
  return buffer;
}

/**
 * One array parameter per column at `given` (default: all), the parameters of `unnestInsertSql`.
 * Numbers, booleans and timestamps are binary arrays (a Buffer: node-postgres sends it in binary
 * format); text and bytes are array literals, the same text as pgArrayLiteral over toPgText. The
 * hot path of every postgres write (issue 17): a text column whose elements need no NULL and no
 * escaping (the usual case) is one join of its texts, the others go element by element.
 */
export function unnestParams(
  schema: TableSchema,
  rows: PreparedRow[],
  given?: readonly number[],
): Array<string | Buffer> {
  const all = allColumns(schema);
  const indexes = given ?? all.map((_, i) => i);
  const texts = new Array<string | null>(rows.length);
  return indexes.map((i) => {
    const c = all[i]!;
    const binary = binaryElementOf(c.type, schema.precision);
    if (binary !== undefined) return pgBinaryArray(binary, rows, i);
    const textOf = pgTextOf(c.type, schema.precision);
    let plain = true;
    for (let r = 0; r < rows.length; r++) {
      const value = rows[r]![i];
      const text = value === null || value === undefined ? null : textOf(value);
      texts[r] = text;
      if (text === null || text.includes('"') || text.includes('\\')) plain = false;
    }
    if (plain) return rows.length === 0 ? '{}' : `{"${texts.join('","')}"}`;
    return pgArrayLiteral(texts, true);
  });
}

// ---------------------------------------------------------------- COPY

/** `COPY t (given columns) FROM STDIN (FORMAT binary)`: the first try of a write (ADR 0002, item 5). */
export function copyFromSql(schema: TableSchema, given?: readonly number[]): string {
  const all = allColumns(schema);
  const columns = given === undefined ? all : given.map((i) => all[i]!);
  return (
    `COPY ${quoteIdentifier(schema.name)} (${columns.map((c) => quoteIdentifier(c.name)).join(', ')}) ` +
    'FROM STDIN (FORMAT binary)'
  );
}

/** The signature, flags and header-extension length that open every binary COPY stream. */
const COPY_HEADER = Buffer.from([
  0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
]);

/** How one column's values are written into a binary COPY row. */
type CopyField = { kind: 'binary'; element: BinaryElement } | { kind: 'text' } | { kind: 'bytes' };

function copyFieldOf(type: KwdbType, precision: TableSchema['precision']): CopyField {
  const element = binaryElementOf(type, precision);
  if (element !== undefined) return { kind: 'binary', element };
  return type === 'VARBYTES' ? { kind: 'bytes' } : { kind: 'text' };
}

/**
 * The rows as one binary COPY stream of the columns at `given` (default: all), in PostgreSQL's
 * binary COPY format: the header, then per row its field count and per field its byte length (-1
 * for NULL or not given) and bytes, then the trailer -1. Numbers, booleans and timestamps are
 * written as in pgBinaryArray, text as its UTF-8 bytes, bytes as they are.
 */
export function pgCopyBinary(
  schema: TableSchema,
  rows: readonly PreparedRow[],
  given?: readonly number[],
): Buffer {
  const all = allColumns(schema);
  const indexes = given ?? all.map((_, i) => i);
  const fields = indexes.map((i) => copyFieldOf(all[i]!.type, schema.precision));
  // An upper bound first (a UTF-8 byte per UTF-16 unit at most 3), then one pass that writes.
  let bound = COPY_HEADER.length + 2 + rows.length * (2 + 4 * indexes.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    for (let f = 0; f < indexes.length; f++) {
      const value = row[indexes[f]!];
      if (value === null || value === undefined) continue;
      const field = fields[f]!;
      if (field.kind === 'binary') bound += field.element.width;
      else if (field.kind === 'text') bound += (value as string).length * 3;
      else bound += (value as Uint8Array).length;
    }
  }
  const buffer = Buffer.allocUnsafe(bound);
  const view = new DataView(buffer.buffer, buffer.byteOffset, bound);
  COPY_HEADER.copy(buffer, 0);
  let at = COPY_HEADER.length;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    view.setInt16(at, indexes.length);
    at += 2;
    for (let f = 0; f < indexes.length; f++) {
      const value = row[indexes[f]!];
      if (value === null || value === undefined) {
        view.setInt32(at, -1);
        at += 4;
        continue;
      }
      const field = fields[f]!;
      if (field.kind === 'binary') {
        view.setInt32(at, field.element.width);
        field.element.write(view, at + 4, value);
        at += 4 + field.element.width;
      } else if (field.kind === 'text') {
        const length = buffer.write(value as string, at + 4, 'utf8');
        view.setInt32(at, length);
        at += 4 + length;
      } else {
        const bytes = value as Uint8Array;
        view.setInt32(at, bytes.length);
        buffer.set(bytes, at + 4);
        at += 4 + bytes.length;
      }
    }
  }
  view.setInt16(at, -1);
  return buffer.subarray(0, at + 2);
}

// ---------------------------------------------------------------- adding columns

/** `ALTER TABLE t ADD COLUMN IF NOT EXISTS c <type>` per added column and tag (always nullable). */
export function addColumnsSql(schema: TableSchema, additions: TableAdditions): string[] {
  return [...additions.columns, ...additions.tags].map(
    (c) =>
      `ALTER TABLE ${quoteIdentifier(schema.name)} ADD COLUMN IF NOT EXISTS ${quoteIdentifier(c.name)} ${pgType(c.type, schema.precision)}`,
  );
}

/** The recorded definition with the additions it does not list yet (columns and tags appended). */
export function addToDefinition(recorded: RecordedDefinition, additions: TableAdditions): RecordedDefinition {
  const known = new Set([...recorded.columns, ...recorded.tags].map((c) => c.name));
  const columns = additions.columns
    .filter((c) => !known.has(c.name))
    .map(({ name, type, length }) => ({ name, type, ...(length ? { length } : {}) }));
  const tags = additions.tags
    .filter((t) => !known.has(t.name))
    .map(({ name, type, length }) => ({ name, type, primary: false, ...(length ? { length } : {}) }));
  return { ...recorded, columns: [...recorded.columns, ...columns], tags: [...recorded.tags, ...tags] };
}

/** Reads a recorded definition inside the DDL transaction (the advisory lock serialises writers). */
export const DEFINITION_FOR_UPDATE_SQL = `SELECT definition FROM ${METADATA_TABLE} WHERE table_name = $1 FOR UPDATE`;

export const UPDATE_DEFINITION_SQL = `UPDATE ${METADATA_TABLE} SET definition = $2 WHERE table_name = $1`;

// ---------------------------------------------------------------- reading

/** SELECT expression reading a column exactly: timestamps as integer text, INT8 as text. */
function selectExpr(column: TableColumn, precision: TableSchema['precision']): string {
  const q = quoteIdentifier(column.name);
  if (isTimestamp(column.type)) {
    return precision === 'ns'
      ? `${q}::text AS ${q}`
      : `(extract(epoch from ${q}) * 1000000)::int8::text AS ${q}`;
  }
  if (column.type === 'INT8') return `${q}::text AS ${q}`;
  return q;
}

/**
 * Rows after a cursor in (timestamp, primary tags) order. The tuple comparison
 * with the same order as ORDER BY makes pages seamless: rows sharing a
 * timestamp are ordered by their primary tags, which are unique per timestamp.
 * `until` (epoch ns) is an inclusive upper bound on the timestamp.
 */
export function readAfterSql(
  schema: TableSchema,
  cursor: Cursor | null,
  limit: number,
  until?: bigint,
): { text: string; values: Array<string | null> } {
  const key = keyColumns(schema);
  const select = allColumns(schema).map((c) => selectExpr(c, schema.precision));
  // Qualified: a bare name in ORDER BY means the SELECT's output column of that name, which is
  // text for timestamps and INT8 ("10" < "9"), so pages would follow text order while the cursor
  // predicate compares the table's typed columns, and rows were skipped; the typed column also
  // lets PostgreSQL walk the primary key instead of sorting the whole table.
  const order = key.map((c) => `${quoteIdentifier(schema.name)}.${quoteIdentifier(c.name)}`);
  const values: Array<string | null> = [];
  const predicates: string[] = [];
  if (cursor) {
    const given = cursor.primaryTags === undefined ? key.slice(0, 1) : key;
    const cursorValues = [cursor.ts, ...(cursor.primaryTags ?? [])];
    const params = given.map((c, i) => {
      values.push(toPgText(cursorValues[i], c.type, schema.precision));
      return `$${values.length}::${pgCastType(c.type, schema.precision)}`;
    });
    const lhs = given.map((c) => quoteIdentifier(c.name));
    predicates.push(`(${lhs.join(', ')}) > (${params.join(', ')})`);
  }
  if (until !== undefined) {
    // Inclusive upper bound; ms/us tables get it at microseconds (truncated down), ns tables exactly.
    const ts = key[0]!;
    values.push(toPgText(until, ts.type, schema.precision));
    predicates.push(
      `${quoteIdentifier(ts.name)} <= $${values.length}::${pgCastType(ts.type, schema.precision)}`,
    );
  }
  const where = predicates.length === 0 ? '' : ` WHERE ${predicates.join(' AND ')}`;
  values.push(String(limit));
  return {
    text:
      `SELECT ${select.join(', ')} FROM ${quoteIdentifier(schema.name)}${where} ` +
      `ORDER BY ${order.join(', ')} LIMIT $${values.length}::int8`,
    values,
  };
}

/** Converts a row read with `readAfterSql` to model values. */
export function rowFromPg(schema: TableSchema, raw: Record<string, unknown>): Row {
  const row: Row = {};
  for (const column of allColumns(schema)) {
    const v = raw[column.name];
    if (v === null || v === undefined) row[column.name] = null;
    else if (isTimestamp(column.type))
      row[column.name] = BigInt(v as string) * (schema.precision === 'ns' ? 1n : 1000n);
    else if (column.type === 'INT8') row[column.name] = BigInt(v as string);
    else if (v instanceof Uint8Array) row[column.name] = new Uint8Array(v);
    else row[column.name] = v as Value;
  }
  return row;
}
