// The one escaping function of the kwdb literal path. KWDB takes time-series
// INSERTs as literal SQL (no bind parameters: reference/kwdb.md section 3,
// "Parameterized TS inserts"), so every value is written here, from a value
// that schema/values.ts has already checked (type, range, length, no NUL, valid UTF-8).
//
// Literal forms follow KWDB/docs en/sql-reference/data-type/data-type-ts-db.md
// and en/sql-reference/dml/ts-db/ts-insert.md (reference/kwdb.md section 2,
// "How literals are written in INSERT"):
// - strings: standard SQL '...' with ' doubled. KWDB (a CockroachDB fork) always
//   has standard_conforming_strings on, so a backslash is an ordinary character.
// - timestamps: a string '2023-07-13 14:06:32.272+00:00' with as many fraction
//   digits as the column holds (strings are parsed at the column's precision).
// - VARBYTES: a byte-string literal b'\x01\x02' (one \xHH escape per byte). KWDB's direct-insert
//   path (the default for literal INSERTs into TS tables) checks a VARBYTES(n) value's length on the
//   literal's scanned text (`convertBytes`, kwbase/pkg/sql/insert_direct.go): for a plain string
//   '\x0102' that is the 2+2k characters of the hex text, so only (n-2)/2 bytes would fit; for b'...'
//   the scanner has already decoded the escapes (`scanString` with escapes, token BYTETYPE,
//   kwbase/pkg/sql/parser/scan.go), so the check counts the k bytes, as VARBYTES(n) means. KWDB's own
//   tests write VARBYTES values this way (qa/Integration/basic_v3/*.sql, e.g. b'\xca').
// - numbers as decimal text, BOOL as TRUE/FALSE, NULL as NULL.

import type { KwdbType, Value } from '@kwdb-connect/formats';
import { formatTimestamp } from './timestamps';

/** `'text'` with single quotes doubled. The only place a string becomes SQL. */
export function quoteString(text: string): string {
  if (text.includes('\u0000')) throw new RangeError('a NUL character cannot be written in a SQL literal');
  return `'${text.replace(/'/g, "''")}'`;
}

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/**
 * Writes one checked value as a KWDB SQL literal for a column of `type`.
 * `digits` is the fraction digits of the table's timestamp columns (3, 6, 9).
 */
export function sqlLiteral(value: Value | undefined, type: KwdbType, digits: 3 | 6 | 9): string {
  if (value === null || value === undefined) return 'NULL';
  switch (type) {
    case 'TIMESTAMP':
    case 'TIMESTAMPTZ':
      if (typeof value !== 'bigint') break;
      return quoteString(formatTimestamp(value, digits));
    case 'INT2':
    case 'INT4':
    case 'INT8':
      if (typeof value === 'bigint' || (typeof value === 'number' && Number.isSafeInteger(value)))
        return value.toString();
      break;
    case 'FLOAT4':
    case 'FLOAT8':
      if (typeof value === 'number' && Number.isFinite(value)) return numberLiteral(value);
      break;
    case 'BOOL':
      if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
      break;
    case 'VARBYTES':
      if (value instanceof Uint8Array) return bytesLiteral(value);
      break;
    default:
      if (typeof value === 'string') return quoteString(value);
  }
  throw new TypeError(`cannot write ${describe(value)} as ${type}`);
}

/** `b'\x01\x02'`: every byte as a \xHH escape, so the text is ASCII and has no quote to escape. */
export function bytesLiteral(bytes: Uint8Array): string {
  return `b'${toHex(bytes).replace(/../g, '\\x$&')}'`;
}

/** Shortest round-trip decimal text of a float; `-0` keeps its sign. */
function numberLiteral(n: number): string {
  return Object.is(n, -0) ? '-0.0' : String(n);
}

function describe(value: Value): string {
  if (value instanceof Uint8Array) return 'bytes';
  return typeof value === 'object' ? 'a written value' : typeof value;
}
