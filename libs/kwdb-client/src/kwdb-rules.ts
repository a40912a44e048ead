// KWDB's rules, in one place: names, types, lengths and value ranges, each with the KWDB source
// file (KWDB/KWDB at a5c90efc1, V3.2.1-era) or document it was read from. The facts and how they
// were checked are in reference/kwdb.md (section 7 "Checked against KWDB's source and parser").
// A new fact about what KWDB accepts is one edit here; identifiers.ts, schema/values.ts,
// schema/definition.ts, timestamps.ts and the kwdb dialect read these tables and never repeat them.

import type { KwdbType, Precision } from '@kwdb-connect/formats';

// ---------------------------------------------------------------- names

export type IdentifierKind = 'table' | 'column' | 'tag' | 'database';

/**
 * Maximum name length in bytes (`len(name)` in Go): MaxTSDBNameLength (create_database.go),
 * MaxTSTableNameLength and MaxTagNameLength (create_table.go), MaxTSColumnNameLength
 * (sqlbase/table.go). Longer names get 42602 `ts <kind> name "<name>" exceeds max length (<n>)`.
 */
export const NAME_MAX_BYTES: Record<IdentifierKind, number> = {
  database: 63,
  table: 128,
  column: 128,
  tag: 128,
};

/**
 * The characters KWDB refuses in time-series database, table, column and tag names:
 * `ContainsNonAlphaNumSymbol` (kwbase/pkg/sql/sqlbase/table.go) matches `[^a-zA-Z0-9[:punct:]\s]`
 * (Go RE2: ASCII punctuation; `\s` is tab, newline, form feed, carriage return and space).
 * Called by create_database.go, create_table.go, sqlbase/table.go `MakeTSColumnDefDescs` and the
 * rename statements; error 42602 `naming of time series objects only supports letters, numbers
 * and symbols`. So every non-ASCII character (accents, emoji, Han) is refused, not only Chinese.
 */
export const NAME_FORBIDDEN_CHARACTER = /[^A-Za-z0-9\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e\t\n\f\r ]/u;

/** The rule of NAME_FORBIDDEN_CHARACTER in words, for error messages. */
export const NAME_CHARACTER_RULE =
  'KWDB allows only ASCII letters, digits, punctuation and spaces in time-series names ' +
  '(kwbase/pkg/sql/sqlbase/table.go ContainsNonAlphaNumSymbol, error 42602)';

// ---------------------------------------------------------------- types and lengths

/** Types with a length: bytes for CHAR, VARCHAR, VARBYTES; characters for NCHAR, NVARCHAR. */
export const LENGTH_TYPES: readonly KwdbType[] = ['CHAR', 'NCHAR', 'VARCHAR', 'NVARCHAR', 'VARBYTES'];

/**
 * Types whose length counts characters: the direct-insert path checks NCHAR/NVARCHAR with
 * `utf8.RuneCountInString` (`convertNString`) and CHAR/VARCHAR with `len` in bytes
 * (`convertString`), both on the value, not on the literal's text (kwbase/pkg/sql/insert_direct.go).
 */
export const LENGTH_IN_CHARACTERS: readonly KwdbType[] = ['NCHAR', 'NVARCHAR'];

/** Lengths when a definition gives none (en/sql-reference/data-type/data-type-ts-db.md, ts-table.md). */
export const DEFAULT_LENGTH: Partial<Record<KwdbType, number>> = {
  CHAR: 1,
  NCHAR: 1,
  VARCHAR: 254,
  NVARCHAR: 63,
  VARBYTES: 254,
};

/**
 * Maximum lengths (data-type-ts-db.md; `sqlbase.TSMaxVariableLen = 65534` in sqlbase/table.go).
 * NCHAR: the docs say 254 and 255; the source caps NCHAR tags and widening at 254 (`MaxNCharLen`).
 */
export const MAX_LENGTH: Partial<Record<KwdbType, number>> = {
  CHAR: 1023,
  NCHAR: 254,
  VARCHAR: 65534,
  NVARCHAR: 16383,
  VARBYTES: 65534,
};

/**
 * The length of a type SHOW COLUMNS prints without one: `types.T.SQLString()` leaves out width 1
 * for CHAR and NCHAR (`stringTypeSQL`, kwbase/pkg/sql/types/types.go), so `CHAR` is CHAR(1).
 * (SHOW TAGS appends the width, `kwdb_internal.go` kwdb_attributes.)
 */
export const UNPRINTED_LENGTH: Partial<Record<KwdbType, number>> = { CHAR: 1, NCHAR: 1 };

/** Type names as SHOW COLUMNS / SHOW TAGS print them, and their aliases (types.go `SQLString`). */
export const TYPE_NAMES: Record<string, KwdbType> = {
  TIMESTAMP: 'TIMESTAMP',
  TIMESTAMPTZ: 'TIMESTAMPTZ',
  'TIMESTAMP WITHOUT TIME ZONE': 'TIMESTAMP',
  'TIMESTAMP WITH TIME ZONE': 'TIMESTAMPTZ',
  INT2: 'INT2',
  SMALLINT: 'INT2',
  INT4: 'INT4',
  INT8: 'INT8',
  INT: 'INT8', // kwbase (CockroachDB): INT and INTEGER are 64-bit
  INTEGER: 'INT8',
  INT64: 'INT8',
  BIGINT: 'INT8',
  FLOAT4: 'FLOAT4',
  REAL: 'FLOAT4',
  FLOAT8: 'FLOAT8',
  FLOAT: 'FLOAT8',
  DOUBLE: 'FLOAT8',
  'DOUBLE PRECISION': 'FLOAT8',
  BOOL: 'BOOL',
  BOOLEAN: 'BOOL',
  CHAR: 'CHAR',
  CHARACTER: 'CHAR',
  NCHAR: 'NCHAR',
  VARCHAR: 'VARCHAR',
  NVARCHAR: 'NVARCHAR',
  VARBYTES: 'VARBYTES',
  GEOMETRY: 'GEOMETRY',
};

// ---------------------------------------------------------------- tables

/**
 * CREATE TABLE / ADD COLUMN / ADD TAG limits (ts-table.md, ts-label.md; `checkPrimaryTag` and
 * `checkTagType` in kwbase/pkg/sql/create_table.go; `MaxPrimaryTagNum`, `MaxTagNum`,
 * `MaxPrimaryTagWidth`, `DefaultPrimaryTagVarcharWidth` in sqlbase/structured.go).
 */
export const TABLE_LIMITS = {
  maxColumns: 4096,
  maxTags: 128,
  maxPrimaryTags: 4,
  primaryVarcharDefault: 64,
  primaryVarcharMax: 128,
} as const;

/** Types a tag cannot have (`checkTagType`: `unsupported tag type … in timeseries table`). */
export const TAG_FORBIDDEN: readonly KwdbType[] = ['TIMESTAMP', 'TIMESTAMPTZ', 'NVARCHAR', 'GEOMETRY'];

/** Types a primary tag cannot have (`checkPrimaryTag`: `data type %s is not supported for primary tag %s`). */
export const PRIMARY_FORBIDDEN: readonly KwdbType[] = ['FLOAT4', 'FLOAT8', 'VARBYTES'];

// ---------------------------------------------------------------- values

export const INT_RANGE = {
  INT2: [-32768n, 32767n],
  INT4: [-2147483648n, 2147483647n],
  INT8: [-9223372036854775808n, 9223372036854775807n],
} as const;

/**
 * FLOAT4 values KWDB stores: 0 and -0, or `math.SmallestNonzeroFloat32 <= |x| <= math.MaxFloat32`
 * (`convertFloat`, kwbase/pkg/sql/insert_direct.go: 22003 `float "1e-45" out of range for type
 * FLOAT4 (column f4)`). Go compares the float64 value, so 1.4e-45 (below 2^-149) is refused too.
 */
export const FLOAT4_RANGE = {
  /** math.SmallestNonzeroFloat32 = 2^-149. */
  minNonZero: 1.401298464324817e-45,
  /** math.MaxFloat32. */
  max: 3.4028234663852886e38,
};

const msToNs = (iso: string): bigint => BigInt(Date.parse(iso)) * 1_000_000n;

/**
 * Timestamp ranges per precision, both ends included (data-type-ts-db.md; `TsMin/Max*Timestamp`
 * in kwbase/pkg/sql/sem/tree/type_check.go): ms and us 0000-01-01 .. 2970-01-01, ns
 * 1970-01-01 .. 2262-01-01. Epoch nanoseconds.
 */
export const TIMESTAMP_RANGE: Record<'ms' | 'us' | 'ns', { min: bigint; max: bigint; text: string }> = {
  ms: {
    min: msToNs('0000-01-01T00:00:00Z'),
    max: msToNs('2970-01-01T00:00:00Z'),
    text: '0000-01-01 .. 2970-01-01',
  },
  us: {
    min: msToNs('0000-01-01T00:00:00Z'),
    max: msToNs('2970-01-01T00:00:00Z'),
    text: '0000-01-01 .. 2970-01-01',
  },
  ns: { min: 0n, max: msToNs('2262-01-01T00:00:00Z'), text: '1970-01-01 .. 2262-01-01' },
};

/**
 * The unit of a bare integer written for a TIMESTAMP value whose message does not say one (a
 * line_influxdb field such as the guide's `c13=1648432611249`): milliseconds, as KWDB documents
 * (data-type-ts-db.md, ts-insert.md) and as the guide's example means (the same instant as the
 * line's ns timestamp 1648432611249000000), whatever the column's precision. KWDB itself would
 * read a bare integer in the column's own unit (`convertTimestampNumeric`, insert_direct.go: ns in a
 * TIMESTAMP(9) column), so the sink never sends one: values are converted to the column's unit
 * and written as timestamp strings (literals.ts). docs/adr/0013-kwdb-dialect-rules.md.
 */
export const INTEGER_TIMESTAMP_UNIT: Precision = 'ms';
