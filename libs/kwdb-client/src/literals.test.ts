import { describe, expect, it } from '@jest/globals';
import type { KwdbType, Value } from '@kwdb-connect/formats';
import { quoteString, sqlLiteral } from './literals';

describe('sqlLiteral (kwdb literal path)', () => {
  it.each<{ name: string; value: Value; type: KwdbType; digits?: 3 | 6 | 9; sql: string }>([
    { name: 'NULL', value: null, type: 'INT4', sql: 'NULL' },
    { name: 'INT2', value: -32768, type: 'INT2', sql: '-32768' },
    { name: 'INT8 above 2^53', value: 9223372036854775807n, type: 'INT8', sql: '9223372036854775807' },
    { name: 'FLOAT8', value: 5.15656, type: 'FLOAT8', sql: '5.15656' },
    { name: 'FLOAT8 large', value: 1e21, type: 'FLOAT8', sql: '1e+21' },
    { name: 'FLOAT8 tiny', value: 5e-324, type: 'FLOAT8', sql: '5e-324' },
    { name: 'FLOAT4 negative zero', value: -0, type: 'FLOAT4', sql: '-0.0' },
    { name: 'BOOL', value: true, type: 'BOOL', sql: 'TRUE' },
    {
      name: 'timestamp ms',
      value: 1690855924005n * 1_000_000n,
      type: 'TIMESTAMPTZ',
      sql: "'2023-08-01 02:12:04.005+00:00'",
    },
    {
      name: 'timestamp ns',
      value: 1690855924005123456n,
      type: 'TIMESTAMPTZ',
      digits: 9,
      sql: "'2023-08-01 02:12:04.005123456+00:00'",
    },
    {
      name: 'timestamp us',
      value: 1690855924005123000n,
      type: 'TIMESTAMP',
      digits: 6,
      sql: "'2023-08-01 02:12:04.005123+00:00'",
    },
    {
      name: 'timestamp before 1970',
      value: -1_000_000n,
      type: 'TIMESTAMPTZ',
      sql: "'1969-12-31 23:59:59.999+00:00'",
    },
    // A byte-string literal, one \xHH escape per byte: KWDB's direct-insert path measures
    // VARBYTES(n) on the scanned literal, which for b'...' is the decoded bytes
    // (parser/scan.go BYTETYPE, insert_direct.go convertBytes; kwdb-rules.ts, literals.ts).
    {
      name: 'VARBYTES',
      value: new Uint8Array([0x31, 0x32, 0x33, 0x27]),
      type: 'VARBYTES',
      sql: "b'\\x31\\x32\\x33\\x27'",
    },
    { name: 'empty VARBYTES', value: new Uint8Array([]), type: 'VARBYTES', sql: "b''" },
    {
      name: 'VARBYTES with every high bit and NUL',
      value: new Uint8Array([0x00, 0xff, 0x5c]),
      type: 'VARBYTES',
      sql: "b'\\x00\\xff\\x5c'",
    },
    { name: 'single quotes doubled', value: "it's", type: 'VARCHAR', sql: "'it''s'" },
    {
      name: 'injection stays a string',
      value: "'; DROP TABLE x; --",
      type: 'VARCHAR',
      sql: "'''; DROP TABLE x; --'",
    },
    { name: 'backslash is literal', value: 'a\\b\\', type: 'NVARCHAR', sql: "'a\\b\\'" },
    { name: 'newline kept', value: 'a\nb', type: 'CHAR', sql: "'a\nb'" },
    { name: 'non-ASCII kept', value: '北京😀', type: 'NCHAR', sql: "'北京😀'" },
    { name: 'GEOMETRY', value: 'Point(0.0 0.0)', type: 'GEOMETRY', sql: "'Point(0.0 0.0)'" },
  ])('$name', ({ value, type, digits, sql }) => {
    expect(sqlLiteral(value, type, digits ?? 3)).toBe(sql);
  });

  it.each<{ name: string; value: Value; type: KwdbType }>([
    { name: 'string into INT4', value: '1', type: 'INT4' },
    { name: 'unsafe number into INT8', value: 2 ** 53, type: 'INT8' },
    { name: 'NaN into FLOAT8', value: NaN, type: 'FLOAT8' },
    { name: 'number into timestamp', value: 1, type: 'TIMESTAMPTZ' },
    { name: 'string into VARBYTES', value: '\\x31', type: 'VARBYTES' },
  ])('refuses a value of the wrong kind: $name', ({ value, type }) => {
    expect(() => sqlLiteral(value, type, 3)).toThrow(TypeError);
  });

  it('refuses NUL rather than altering the text', () => {
    expect(() => quoteString('a\u0000b')).toThrow(/NUL/);
  });

  it('every quote in any string is doubled, so the literal always ends where it started', () => {
    for (const text of ["'", "''", "a'b'c", "\\'", "'\\"]) {
      const literal = quoteString(text);
      const inner = literal.slice(1, -1);
      expect(inner.replace(/''/g, '')).not.toContain("'");
      expect(inner.replace(/''/g, "'")).toBe(text);
    }
  });
});
