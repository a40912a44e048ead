// Pure SQL builders and row converters of the kwdb dialect. KWDB cannot be
// installed on our machines, so every statement here is held to the documented
// grammar by golden tests (sql.test.ts), each traced to its KWDB document:
// reference/kwdb.md cites KWDB/docs (branch master, KWDB 3.2.1) paths.
//
// Writes are literal multi-row INSERTs sent without bind parameters (KWDB's
// parameter path may lose sub-ms precision: reference/kwdb.md section 3) and
// without an explicit transaction; every value goes through literals.ts.

import type { KwdbType, Row, Value } from '@kwdb-connect/formats';
import { ConfigError } from '../../errors';
import { quoteIdentifier } from '../../identifiers';
import { LENGTH_TYPES, TYPE_NAMES, UNPRINTED_LENGTH } from '../../kwdb-rules';
import { quoteString, sqlLiteral } from '../../literals';
import { allColumns, keyColumns } from '../../schema/check';
import { fractionDigits, parseTimestampText, precisionOfDigits } from '../../timestamps';
import type { Cursor, PreparedRow, TableAdditions, TableColumn, TableSchema, TableTag } from '../../types';
import type { CreateDatabaseOptions } from '../dialect';

const DURATION = /^[1-9]\d*(s|second|m|minute|h|hour|d|day|w|week|mon|month|y|year)$/;

const isTimestamp = (type: KwdbType): boolean => type === 'TIMESTAMP' || type === 'TIMESTAMPTZ';

/**
 * `CREATE TS DATABASE IF NOT EXISTS <name> [RETENTIONS <dur>] [PARTITION INTERVAL <dur>]`,
 * clauses in the documented order (en/sql-reference/ddl/ts-db/ts-database.md).
 */
export function createDatabaseSql(name: string, options: CreateDatabaseOptions = {}): string {
  let sql = `CREATE TS DATABASE IF NOT EXISTS ${quoteIdentifier(name)}`;
  if (options.retentions !== undefined) {
    if (!DURATION.test(options.retentions))
      throw new ConfigError(`invalid RETENTIONS ${JSON.stringify(options.retentions)}`);
    sql += ` RETENTIONS ${options.retentions}`;
  }
  if (options.partitionInterval !== undefined) {
    if (!/^[1-9]\d*(d|day|w|week|mon|month|y|year)$/.test(options.partitionInterval)) {
      throw new ConfigError(`invalid PARTITION INTERVAL ${JSON.stringify(options.partitionInterval)}`);
    }
    sql += ` PARTITION INTERVAL ${options.partitionInterval}`;
  }
  return sql;
}

/** A column's type in KWDB DDL: `TIMESTAMPTZ(3)`, `VARCHAR(64)`, `INT8`. */
export function kwdbTypeSql(column: TableColumn, precision: TableSchema['precision']): string {
  if (isTimestamp(column.type)) return `${column.type}(${fractionDigits(precision)})`;
  if (LENGTH_TYPES.includes(column.type) && column.length !== undefined)
    return `${column.type}(${column.length})`;
  return column.type;
}

/**
 * `CREATE TABLE IF NOT EXISTS t (ts TIMESTAMPTZ(p) NOT NULL, ...) TAGS (...) PRIMARY TAGS (...)`
 * (en/sql-reference/ddl/ts-db/ts-table.md). The schema comes from
 * schema/definition.ts, which enforces the rules of that page.
 */
export function createTableSql(schema: TableSchema): string {
  const column = (c: TableColumn): string =>
    `${quoteIdentifier(c.name)} ${kwdbTypeSql(c, schema.precision)}${c.nullable ? '' : ' NOT NULL'}`;
  const primary = schema.tags.filter((t) => t.primary).map((t) => quoteIdentifier(t.name));
  return (
    `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(schema.name)} (${schema.columns.map(column).join(', ')}) ` +
    `TAGS (${schema.tags.map(column).join(', ')}) PRIMARY TAGS (${primary.join(', ')})`
  );
}

/**
 * One statement per added column or tag (KWDB adds one per statement), nullable, online:
 * `ALTER TABLE t ADD COLUMN IF NOT EXISTS c <type>` (en/sql-reference/ddl/ts-db/ts-column.md:
 * `ADD [COLUMN] [IF NOT EXISTS] c <type> [NULL]`) and `ALTER TABLE t ADD TAG tag <type>`
 * (en/sql-reference/ddl/ts-db/ts-label.md: no IF NOT EXISTS, no primary or NOT NULL tags; a
 * concurrent writer's "already exists" is success, as for CREATE TABLE).
 */
export function addColumnsSql(schema: TableSchema, additions: TableAdditions): string[] {
  const table = quoteIdentifier(schema.name);
  return [
    ...additions.columns.map(
      (c) =>
        `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${quoteIdentifier(c.name)} ${kwdbTypeSql(c, schema.precision)}`,
    ),
    ...additions.tags.map(
      (t) => `ALTER TABLE ${table} ADD TAG ${quoteIdentifier(t.name)} ${kwdbTypeSql(t, schema.precision)}`,
    ),
  ];
}

/**
 * `INSERT INTO t (cols) VALUES (...), (...)` with literal values
 * (en/sql-reference/dml/ts-db/ts-insert.md: multi-row VALUES, named columns
 * including the timestamp and every primary tag). A value not given is NULL: under KWDB's default
 * `ts.dedup.rule = override` the row replaces a stored row of the same key; under `merge` NULLs do
 * not overwrite (reference/kwdb.md section 3).
 */
export function insertSql(schema: TableSchema, rows: PreparedRow[]): string {
  const columns = allColumns(schema);
  const digits = fractionDigits(schema.precision);
  const names = columns.map((c) => quoteIdentifier(c.name)).join(', ');
  const tuples = rows.map(
    (row) => `(${columns.map((c, i) => sqlLiteral(row[i], c.type, digits)).join(', ')})`,
  );
  return `INSERT INTO ${quoteIdentifier(schema.name)} (${names}) VALUES ${tuples.join(', ')}`;
}

/** Time-series tables of the connected database (reference/kwdb.md section 4, "Listing tables"). */
export const LIST_TABLES_SQL =
  "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' " +
  "AND table_type = 'TIME SERIES TABLE' ORDER BY table_name";

/**
 * `SHOW COLUMNS FROM t` (en/sql-reference/ddl/ts-db/ts-column.md; it escapes the names,
 * kwbase/pkg/sql/delegate/show_table.go) and the tags query.
 *
 * Not `SHOW TAGS FROM t`: KWDB rewrites it into a SELECT on `kwdb_internal.kwdb_attributes` with the
 * database and table names pasted between single quotes unescaped (delegate/show_attributes.go), so
 * it fails with a syntax error (42601) for a name containing `'`. We run the same SELECT with the
 * names escaped: the same virtual table, columns and privilege check (`canUserSeeTable`: any
 * privilege on the table, as SHOW TAGS checks), `db_name` the session's database (the connection's
 * database, current_database()), ordered by the tags' position as SHOW TAGS lists them.
 */
export function describeSql(table: string): { columns: string; tags: string } {
  return {
    columns: `SHOW COLUMNS FROM ${quoteIdentifier(table)}`,
    tags:
      'SELECT tag_name AS tag, tag_type AS type, is_primary, nullable FROM kwdb_internal.kwdb_attributes ' +
      `WHERE db_name = current_database() AND table_name = ${quoteString(table)} ORDER BY tag_idx`,
  };
}

/** Parses a type as SHOW COLUMNS / SHOW TAGS print it: `TIMESTAMPTZ(3)`, `VARCHAR(64)`, `INT4`. */
export function parseKwdbType(text: string): { type: KwdbType; size?: number } {
  const m = /^\s*([A-Za-z][A-Za-z0-9 ]*?)\s*(?:\(\s*(\d+)\s*\))?\s*$/.exec(text);
  const type = m ? TYPE_NAMES[m[1]!.toUpperCase()] : undefined;
  if (!m || !type) throw new RangeError(`unsupported KWDB type ${JSON.stringify(text)}`);
  return m[2] === undefined ? { type } : { type, size: Number(m[2]) };
}

export interface ShowColumnsRow {
  column_name: string;
  data_type: string;
  is_nullable: boolean | string;
  is_tag: boolean | string;
}
export interface ShowTagsRow {
  tag: string;
  type: string;
  is_primary: boolean | string;
  nullable: boolean | string;
}

const truthy = (v: boolean | string): boolean => v === true || v === 't' || v === 'true' || v === 'YES';

/** The table schema from SHOW COLUMNS and SHOW TAGS rows. */
export function schemaFromShow(name: string, columns: ShowColumnsRow[], tags: ShowTagsRow[]): TableSchema {
  const toColumn = (columnName: string, typeText: string, nullable: boolean): TableColumn => {
    const { type, size } = parseKwdbType(typeText);
    const column: TableColumn = { name: columnName, type, nullable };
    const length = size ?? UNPRINTED_LENGTH[type]; // SHOW COLUMNS prints CHAR(1) as `CHAR`
    if (length !== undefined && LENGTH_TYPES.includes(type)) column.length = length;
    return column;
  };
  const data = columns
    .filter((c) => !truthy(c.is_tag))
    .map((c) => toColumn(c.column_name, c.data_type, truthy(c.is_nullable)));
  const first = columns.find((c) => !truthy(c.is_tag));
  const digits = first ? parseKwdbType(first.data_type).size : undefined;
  const tagList: TableTag[] = tags.map((t) => ({
    ...toColumn(t.tag, t.type, truthy(t.nullable)),
    primary: truthy(t.is_primary),
  }));
  return { name, precision: precisionOfDigits(digits ?? 3), columns: data, tags: tagList };
}

/**
 * `(k1, k2, ...) > (v1, v2, ...)` written with plain comparisons only, so the
 * time predicate stays a TS span (reference/kwdb.md section 4, "Polling").
 */
function afterPredicate(key: TableColumn[], values: string[]): string {
  const [first, ...rest] = key;
  const q = quoteIdentifier(first!.name);
  if (rest.length === 0) return `${q} > ${values[0]}`;
  return `(${q} > ${values[0]} OR (${q} = ${values[0]} AND ${afterPredicate(rest, values.slice(1))}))`;
}

/**
 * Rows after a cursor in (timestamp, primary tags) order, literal SQL
 * (en/sql-reference/dml/ts-db/ts-select.md: WHERE, ORDER BY, LIMIT). `until` (epoch ns) is an
 * INCLUSIVE upper bound on the timestamp, `"ts" <= '<until>'`, the window shape of reference/kwdb.md
 * section 4 "Polling" (`ts > $1 AND ts <= $2`), so it is a TS span too. It is written at the
 * table's precision, truncated down (floor), which keeps the bound inclusive for every stored row.
 *
 * Columns are selected as they are, never cast: `ts::STRING` runs in the TS engine's C++ cast
 * (`timestamptzToString`, kwdbts2/exec/src/ee_field_typecast.cpp), which may loop forever on a
 * pre-1970 timestamp with a sub-second part, and `ts::INT8` gives the stored integer in the column's
 * unit there (`FieldTypeCastSigned`) but milliseconds when evaluated in Go (`PerformCast`,
 * sem/tree/eval.go), depending on push-down. A plain timestamp column's text is written either by
 * the TS engine's own pgwire encoder (`format_timestamp_common`, kwdbts2/exec/src/ee_data_chunk.cpp,
 * from `getCKTime`'s floor division, ee_timestamp_utils.h) or by Go (`formatTs`,
 * kwbase/pkg/sql/pgwire/types.go): both print up to 9 fraction digits with trailing zeros cut, the
 * offset, and ` BC` before year 1, exact before 1970 too. The dialect reads that text raw
 * (RAW_TIMESTAMP_TYPES in index.ts), never through a JS Date.
 */
export function readAfterSql(
  schema: TableSchema,
  cursor: Cursor | null,
  limit: number,
  until?: bigint,
): string {
  const key = keyColumns(schema);
  const digits = fractionDigits(schema.precision);
  const select = allColumns(schema)
    .map((c) => quoteIdentifier(c.name))
    .join(', ');
  const predicates: string[] = [];
  if (cursor) {
    const given = cursor.primaryTags === undefined ? key.slice(0, 1) : key;
    const values = [cursor.ts, ...(cursor.primaryTags ?? [])].map((v, i) =>
      sqlLiteral(v, given[i]!.type, digits),
    );
    predicates.push(afterPredicate(given, values));
  }
  if (until !== undefined) {
    predicates.push(`${quoteIdentifier(key[0]!.name)} <= ${sqlLiteral(until, key[0]!.type, digits)}`);
  }
  const where = predicates.length === 0 ? '' : ` WHERE ${predicates.join(' AND ')}`;
  // Qualified: ORDER BY always means the table's typed columns, whatever the SELECT list holds.
  const order = key.map((c) => `${quoteIdentifier(schema.name)}.${quoteIdentifier(c.name)}`).join(', ');
  return `SELECT ${select} FROM ${quoteIdentifier(schema.name)}${where} ORDER BY ${order} LIMIT ${Math.trunc(limit)}`;
}

/** Bytes from the server's `\x<hex>` text (VARBYTES has no pg parser: reference/kwdb.md section 2). */
function bytesFromHexText(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text.startsWith('\\x') ? text.slice(2) : text, 'hex'));
}

/** Converts a row read with `readAfterSql` to model values. */
export function rowFromKwdb(schema: TableSchema, raw: Record<string, unknown>): Row {
  const row: Row = {};
  for (const column of allColumns(schema)) {
    const v = raw[column.name];
    let value: Value;
    if (v === null || v === undefined) value = null;
    else if (isTimestamp(column.type)) value = parseTimestampText(String(v));
    else if (column.type === 'INT8') value = BigInt(String(v));
    else if (column.type === 'VARBYTES')
      value = v instanceof Uint8Array ? new Uint8Array(v) : bytesFromHexText(String(v));
    else if (
      column.type === 'INT2' ||
      column.type === 'INT4' ||
      column.type === 'FLOAT4' ||
      column.type === 'FLOAT8'
    ) {
      value = typeof v === 'number' ? v : Number(v);
    } else if (column.type === 'BOOL') value = v === true || v === 't' || v === 'true';
    else value = String(v);
    row[column.name] = value;
  }
  return row;
}
