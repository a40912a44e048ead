// Golden SQL for the kwdb dialect. KWDB cannot run here, so each statement is
// compared with the exact text we expect, and each case names the KWDB
// document (KWDB/docs, branch master, KWDB 3.2.1; cited in
// /work/shared/reference/kwdb.md) whose grammar it follows.
import { describe, expect, it } from '@jest/globals';
import { coerceValue, type Batch, type ColumnDef, type TagDef } from '@kwdb-connect/formats';
import { additionsFromBatch, tableFromBatch } from '../../schema/definition';
import { prepareRows } from '../../schema/check';
import type { TableSchema } from '../../types';
import {
  LIST_TABLES_SQL,
  addColumnsSql,
  createDatabaseSql,
  createTableSql,
  describeSql,
  insertSql,
  parseKwdbType,
  readAfterSql,
  rowFromKwdb,
  schemaFromShow,
} from './sql';

const noCoerce = (): never => {
  throw new Error('no written values here');
};

// The guide's sample message (spec/kafka-connector-guide.md, "KaiwuDB JSON Format").
const GUIDE: Batch = {
  table: 'ts_json_kaiwudb_tb',
  columns: [
    { name: 'ts', type: 'TIMESTAMPTZ', length: 64 },
    { name: 'c1', type: 'INT2', length: 16 },
    { name: 'c2', type: 'INT4', length: 32 },
    { name: 'c3', type: 'INT8', length: 64 },
    { name: 'c4', type: 'FLOAT4', length: 32 },
    { name: 'c5', type: 'FLOAT8', length: 64 },
    { name: 'c6', type: 'BOOL', length: 1 },
  ] satisfies ColumnDef[],
  tags: [
    { name: 'location', type: 'VARCHAR', length: 64, primary: true, nullable: false },
    { name: 'temperature', type: 'FLOAT4', length: 64, primary: false, nullable: true },
  ] satisfies TagDef[],
  rows: [
    {
      ts: 1690855924005000000n,
      c1: 11,
      c2: 21,
      c3: 2535208944865431245n,
      c4: 6.14545,
      c5: 5.15656,
      c6: true,
      location: 'tianjin',
      temperature: 35.5,
    },
    {
      ts: 1691853703011000000n,
      c1: 12,
      c2: 22,
      c3: 6422208944865124578n,
      c4: 1.01635,
      c5: 0.53533,
      c6: false,
      location: 'tianjin',
      temperature: 35.5,
    },
  ],
  precision: 'ms',
  canCreateTable: true,
};

describe('kwdb dialect: golden SQL', () => {
  // en/sql-reference/ddl/ts-db/ts-database.md: CREATE TS DATABASE [IF NOT EXISTS] <name>
  // [RETENTIONS <dur>] [PARTITION INTERVAL <dur>], clauses in this order.
  it.each([
    { name: 'plain', options: {}, sql: 'CREATE TS DATABASE IF NOT EXISTS "tsdb"' },
    {
      name: 'retentions',
      options: { retentions: '50d' },
      sql: 'CREATE TS DATABASE IF NOT EXISTS "tsdb" RETENTIONS 50d',
    },
    {
      name: 'retentions then partition interval',
      options: { retentions: '1y', partitionInterval: '2d' },
      sql: 'CREATE TS DATABASE IF NOT EXISTS "tsdb" RETENTIONS 1y PARTITION INTERVAL 2d',
    },
  ])('CREATE TS DATABASE ($name) per ts-database.md', ({ options, sql }) => {
    expect(createDatabaseSql('tsdb', options)).toBe(sql);
  });

  it('refuses a RETENTIONS value that is not a documented duration (ts-database.md units)', () => {
    expect(() => createDatabaseSql('tsdb', { retentions: '1d; DROP DATABASE x' })).toThrow(/RETENTIONS/);
    expect(() => createDatabaseSql('tsdb', { partitionInterval: '5h' })).toThrow(/PARTITION INTERVAL/);
  });

  // en/sql-reference/ddl/ts-db/ts-table.md: first column TIMESTAMPTZ(p) NOT NULL, TAGS (...) PRIMARY TAGS (...);
  // data-type-ts-db.md: precision 3/6/9.
  it.each([
    {
      name: 'the guide table, ms',
      batch: GUIDE,
      sql:
        'CREATE TABLE IF NOT EXISTS "ts_json_kaiwudb_tb" ("ts" TIMESTAMPTZ(3) NOT NULL, "c1" INT2, "c2" INT4, "c3" INT8, ' +
        '"c4" FLOAT4, "c5" FLOAT8, "c6" BOOL) TAGS ("location" VARCHAR(64) NOT NULL, "temperature" FLOAT4) PRIMARY TAGS ("location")',
    },
    {
      name: 'ns precision, text types with lengths, two primary tags',
      batch: {
        ...GUIDE,
        table: 'sensor',
        precision: 'ns' as const,
        columns: [
          { name: 'k_timestamp', type: 'TIMESTAMP' as const },
          { name: 'name', type: 'NVARCHAR' as const, length: 20 },
          { name: 'raw', type: 'VARBYTES' as const },
          { name: 'at', type: 'TIMESTAMPTZ' as const },
          { name: 'shape', type: 'GEOMETRY' as const },
        ],
        tags: [
          { name: 'id', type: 'INT8' as const, primary: true, nullable: false },
          { name: 'site', type: 'CHAR' as const, length: 8, primary: true, nullable: false },
          { name: 'note', type: 'VARCHAR' as const, primary: false, nullable: true },
        ],
      },
      sql:
        'CREATE TABLE IF NOT EXISTS "sensor" ("k_timestamp" TIMESTAMP(9) NOT NULL, "name" NVARCHAR(20), "raw" VARBYTES(254), ' +
        '"at" TIMESTAMPTZ(9), "shape" GEOMETRY) TAGS ("id" INT8 NOT NULL, "site" CHAR(8) NOT NULL, "note" VARCHAR(254)) ' +
        'PRIMARY TAGS ("id", "site")',
    },
    {
      name: 'us precision, a name needing quotes',
      batch: { ...GUIDE, table: "it's a table", precision: 'us' as const },
      sql:
        'CREATE TABLE IF NOT EXISTS "it\'s a table" ("ts" TIMESTAMPTZ(6) NOT NULL, "c1" INT2, "c2" INT4, "c3" INT8, ' +
        '"c4" FLOAT4, "c5" FLOAT8, "c6" BOOL) TAGS ("location" VARCHAR(64) NOT NULL, "temperature" FLOAT4) PRIMARY TAGS ("location")',
    },
  ])('CREATE TABLE per ts-table.md: $name', ({ batch, sql }) => {
    expect(createTableSql(tableFromBatch(batch, 'kwdb'))).toBe(sql);
  });

  // en/sql-reference/ddl/ts-db/ts-column.md, ADD COLUMN: `ALTER TABLE t ADD [COLUMN] [IF NOT EXISTS] c <type> [NULL]`,
  // one column per statement (example `ALTER TABLE ts_table ADD COLUMN c3 INT NULL;`).
  // en/sql-reference/ddl/ts-db/ts-label.md, ADD TAG: `ALTER TABLE t ADD TAG tag <type>`, one tag per statement,
  // no primary or NOT NULL tags (example `ALTER TABLE ts_table ADD TAG color VARCHAR(30);`).
  it('ALTER TABLE ADD COLUMN / ADD TAG, one statement each, for the OpenTSDB columns a table lacks (ts-column.md, ts-label.md)', () => {
    const opentsdb = (column: string, tags: TagDef[]): Batch => ({
      table: 'ts_line_opentsdb_tb',
      columns: [
        { name: 'timestamp', type: 'TIMESTAMPTZ', nullable: false },
        { name: column, type: 'VARCHAR', length: 254 },
      ],
      tags,
      rows: [],
      precision: 'ms',
      canCreateTable: true,
      canAddColumns: true,
    });
    const tag1: TagDef = { name: 'tag1', type: 'VARCHAR', length: 128, primary: true, nullable: false };
    const schema = tableFromBatch(opentsdb('c1', [tag1]), 'kwdb');
    const more = opentsdb('c2', [
      tag1,
      { name: 'tag2', type: 'VARCHAR', length: 128, primary: true, nullable: false },
      { name: 'tag3', type: 'VARCHAR', length: 128, primary: true, nullable: false },
      { name: 'tag4', type: 'VARCHAR', length: 128, primary: true, nullable: false },
      { name: 'tag5', type: 'VARCHAR', length: 254, primary: false, nullable: true },
    ]);
    // Only tag5 (ordinary) could be added; tag2..4 are primary, which the batch must not bring here.
    const additions = additionsFromBatch({ ...more, tags: [tag1, more.tags[4]!] }, schema, 'kwdb');
    expect(addColumnsSql(schema, additions)).toEqual([
      'ALTER TABLE "ts_line_opentsdb_tb" ADD COLUMN IF NOT EXISTS "c2" VARCHAR(254)',
      'ALTER TABLE "ts_line_opentsdb_tb" ADD TAG "tag5" VARCHAR(254)',
    ]);
    // Typed columns: the timestamp precision and lengths as in CREATE TABLE (data-type-ts-db.md).
    expect(
      addColumnsSql(
        { ...schema, precision: 'ns' },
        {
          columns: [
            { name: 'at', type: 'TIMESTAMPTZ', nullable: true },
            { name: 'n', type: 'INT8', nullable: true },
          ],
          tags: [{ name: 'site', type: 'CHAR', length: 8, nullable: true, primary: false }],
        },
      ),
    ).toEqual([
      'ALTER TABLE "ts_line_opentsdb_tb" ADD COLUMN IF NOT EXISTS "at" TIMESTAMPTZ(9)',
      'ALTER TABLE "ts_line_opentsdb_tb" ADD COLUMN IF NOT EXISTS "n" INT8',
      'ALTER TABLE "ts_line_opentsdb_tb" ADD TAG "site" CHAR(8)',
    ]);
  });

  // ts-insert.md again: a column a merged row does not give is written as NULL (under ts.dedup.rule=merge a NULL
  // does not overwrite; under override the row replaces the stored one, reference/kwdb.md section 3).
  it('writes a value that is not given (undefined) as NULL', () => {
    const schema = tableFromBatch(GUIDE, 'kwdb');
    expect(
      insertSql(schema, [
        [
          1690855924005000000n,
          11,
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          'tianjin',
          undefined,
        ],
      ]),
    ).toBe(
      'INSERT INTO "ts_json_kaiwudb_tb" ("ts", "c1", "c2", "c3", "c4", "c5", "c6", "location", "temperature") VALUES ' +
        "('2023-08-01 02:12:04.005+00:00', 11, NULL, NULL, NULL, NULL, NULL, 'tianjin', NULL)",
    );
  });

  // en/sql-reference/dml/ts-db/ts-insert.md: INSERT INTO t (cols) VALUES (...), (...), named columns including
  // the timestamp and all primary tags; data-type-ts-db.md: timestamp strings, TRUE/FALSE, numbers.
  it('multi-row literal INSERT of the guide rows per ts-insert.md', () => {
    const schema = tableFromBatch(GUIDE, 'kwdb');
    const rows = prepareRows(GUIDE, schema, noCoerce).rows.map((r) => r.values);
    expect(insertSql(schema, rows)).toBe(
      'INSERT INTO "ts_json_kaiwudb_tb" ("ts", "c1", "c2", "c3", "c4", "c5", "c6", "location", "temperature") VALUES ' +
        "('2023-08-01 02:12:04.005+00:00', 11, 21, 2535208944865431245, 6.14545, 5.15656, TRUE, 'tianjin', 35.5), " +
        "('2023-08-12 15:21:43.011+00:00', 12, 22, 6422208944865124578, 1.01635, 0.53533, FALSE, 'tianjin', 35.5)",
    );
  });

  // ts-insert.md (strings), data-type-ts-db.md (VARBYTES '\x..', NCHAR literals): hostile text stays inside one literal.
  it('escapes hostile text and writes ns timestamps and bytes exactly (ts-insert.md, data-type-ts-db.md)', () => {
    const batch: Batch = {
      table: 't',
      columns: [
        { name: 'ts', type: 'TIMESTAMPTZ' },
        { name: 's', type: 'NVARCHAR', length: 100 },
        { name: 'b', type: 'VARBYTES', length: 10 },
      ],
      tags: [{ name: 'id', type: 'VARCHAR', length: 64, primary: true, nullable: false }],
      rows: [
        {
          ts: 1700000000123456789n,
          s: "'; DROP TABLE x; --\n\\ 北京",
          b: new Uint8Array([0x5c, 0x27]),
          id: "o'neil",
        },
      ],
      precision: 'ns',
      canCreateTable: true,
    };
    const schema = tableFromBatch(batch, 'kwdb');
    const rows = prepareRows(batch, schema, noCoerce).rows.map((r) => r.values);
    expect(insertSql(schema, rows)).toBe(
      'INSERT INTO "t" ("ts", "s", "b", "id") VALUES ' +
        "('2023-11-14 22:13:20.123456789+00:00', '''; DROP TABLE x; --\n\\ 北京', b'\\x5c\\x27', 'o''neil')",
    );
  });

  // kwbase/pkg/sql/insert_direct.go convertBytes checks a VARBYTES(n) value's length on the scanned
  // literal before decoding it: '\x0102...' is 2+2k characters for k bytes (only 3 bytes would fit
  // VARBYTES(8), 22001 "value '\x01020304' too long for type VARBYTES(8)", kwdb.md section 7), while
  // b'\x01\x02...' is decoded by the scanner first (parser/scan.go BYTETYPE), so it is k. The sink
  // writes b'...' and checks n bytes itself: 8 bytes fit VARBYTES(8), 9 are one record's error.
  it("writes VARBYTES as b'\\xHH...' so VARBYTES(n) holds n bytes; n+1 bytes fail alone (insert_direct.go convertBytes)", () => {
    const batch: Batch = {
      table: 'blobs',
      columns: [
        { name: 'ts', type: 'TIMESTAMPTZ' },
        { name: 'v', type: 'VARBYTES', length: 8 },
      ],
      tags: [{ name: 'id', type: 'INT4', primary: true, nullable: false }],
      rows: [
        { ts: 0n, v: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), id: 1 },
        { ts: 0n, v: new Uint8Array(9), id: 2 },
      ],
      precision: 'ms',
      canCreateTable: true,
    };
    const schema = tableFromBatch(batch, 'kwdb');
    const prepared = prepareRows(batch, schema, noCoerce);
    expect(prepared.rejected.map((r) => [r.index, r.error.message])).toEqual([
      [1, 'table "blobs", column "v": 9 bytes exceed VARBYTES(8)'],
    ]);
    expect(
      insertSql(
        schema,
        prepared.rows.map((r) => r.values),
      ),
    ).toBe(
      'INSERT INTO "blobs" ("ts", "v", "id") VALUES ' +
        "('1970-01-01 00:00:00.000+00:00', b'\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08', 1)",
    );
  });

  // Text types are measured on the value, not the literal: the scanner undoes '' before
  // convertString (len, bytes) and convertNString (utf8.RuneCountInString) check the width
  // (kwbase/pkg/sql/parser/scan.go scanString, insert_direct.go). So VARCHAR(3) holds a'b (literal
  // 'a''b', 6 characters) and NVARCHAR(2) holds 北京 (6 bytes), as the sink's own check says.
  it('measures CHAR/VARCHAR in bytes and NCHAR/NVARCHAR in characters of the value, not of the literal (insert_direct.go convertString, convertNString)', () => {
    const batch: Batch = {
      table: 'texts',
      columns: [
        { name: 'ts', type: 'TIMESTAMPTZ' },
        { name: 'v', type: 'VARCHAR', length: 3 },
        { name: 'n', type: 'NVARCHAR', length: 2 },
      ],
      tags: [{ name: 'id', type: 'INT4', primary: true, nullable: false }],
      rows: [
        { ts: 0n, v: "a'b", n: '北京', id: 1 },
        { ts: 1_000_000n, v: 'é', n: '北京市', id: 1 },
      ],
      precision: 'ms',
      canCreateTable: true,
    };
    const schema = tableFromBatch(batch, 'kwdb');
    const prepared = prepareRows(batch, schema, noCoerce);
    expect(
      insertSql(
        schema,
        prepared.rows.map((r) => r.values),
      ),
    ).toBe(
      'INSERT INTO "texts" ("ts", "v", "n", "id") VALUES (\'1970-01-01 00:00:00.000+00:00\', \'a\'\'b\', \'北京\', 1)',
    );
    expect(prepared.rejected.map((r) => r.error.message)).toEqual([
      'table "texts", column "n": 3 characters exceed NVARCHAR(2)',
    ]);
  });

  // kwbase/pkg/sql/insert_direct.go convertFloat: a non-zero FLOAT4 below math.SmallestNonzeroFloat32
  // or above math.MaxFloat32 is 22003 `float "1e-45" out of range for type FLOAT4`; the sink refuses
  // it per record (both dialects), so it never fails a statement of good rows.
  it.each([
    { name: 'zero', value: 0, ok: true },
    { name: 'minus zero', value: -0, ok: true },
    { name: 'the smallest FLOAT4 (2^-149)', value: 1.401298464324817e-45, ok: true },
    { name: 'minus the smallest FLOAT4', value: -1.401298464324817e-45, ok: true },
    { name: 'the largest FLOAT4', value: 3.4028234663852886e38, ok: true },
    { name: '1e-45 (KWDB: out of range)', value: 1e-45, ok: false },
    { name: '-1e-46', value: -1e-46, ok: false },
    { name: '3.5e38', value: 3.5e38, ok: false },
  ])('FLOAT4 range per insert_direct.go convertFloat: $name', ({ value, ok }) => {
    const batch: Batch = {
      table: 'f',
      columns: [
        { name: 'ts', type: 'TIMESTAMPTZ' },
        { name: 'f4', type: 'FLOAT4' },
      ],
      tags: [{ name: 'id', type: 'INT4', primary: true, nullable: false }],
      rows: [{ ts: 0n, f4: value, id: 1 }],
      precision: 'ms',
      canCreateTable: true,
    };
    const prepared = prepareRows(batch, tableFromBatch(batch, 'kwdb'), noCoerce);
    if (ok) expect(prepared.rows).toHaveLength(1);
    else
      expect(prepared.rejected[0]?.error).toMatchObject({
        code: 'VALUE_OUT_OF_RANGE',
        table: 'f',
        column: 'f4',
        message: expect.stringMatching(/outside FLOAT4 range.*convertFloat/),
      });
  });

  // kwbase/pkg/sql/sqlbase/table.go ContainsNonAlphaNumSymbol (create_table.go, MakeTSColumnDefDescs):
  // KWDB refuses any non-ASCII character in TS table, column and tag names (42602). The kwdb dialect
  // refuses such a table before sending CREATE TABLE, naming the table, the name and the rule.
  it.each([
    { name: 'a table', table: 'météo', column: 'c', message: /^table name "météo" contains "é"/ },
    {
      name: 'a column',
      table: 'weather',
      column: 'température',
      message: /^table "weather": column name "température" contains "é"/,
    },
  ])(
    'refuses a non-ASCII name for $name (sqlbase/table.go ContainsNonAlphaNumSymbol)',
    ({ table, column, message }) => {
      const batch: Batch = { ...GUIDE, table, columns: [GUIDE.columns[0]!, { name: column, type: 'INT4' }] };
      expect(() => tableFromBatch(batch, 'kwdb')).toThrow(message);
      expect(() => tableFromBatch(batch, 'kwdb')).toThrow(/ASCII letters, digits, punctuation and spaces/);
      expect(tableFromBatch(batch, 'postgres').name).toBe(table); // the postgres dialect's own rule
    },
  );

  // kwdb-rules.ts INTEGER_TIMESTAMP_UNIT: a bare integer for a TIMESTAMP column (the guide's
  // line_influxdb `c13=1648432611249`) is epoch ms in every table precision, converted to the column's
  // unit and written as a timestamp string. KWDB would read a bare integer in the column's own unit
  // (insert_direct.go convertTimestampNumeric: 1970-01-01 00:27:28.432611249 in an ns table).
  it.each([
    { precision: 'ms' as const, literal: "'2022-03-28 01:56:51.249+00:00'" },
    { precision: 'us' as const, literal: "'2022-03-28 01:56:51.249000+00:00'" },
    { precision: 'ns' as const, literal: "'2022-03-28 01:56:51.249000000+00:00'" },
  ])(
    'writes an integer TIMESTAMP value as ms, never as a bare integer: $precision table',
    ({ precision, literal }) => {
      const schema: TableSchema = {
        name: 'ts_line_influxdb_tb',
        precision,
        columns: [
          { name: 'ts', type: 'TIMESTAMPTZ', nullable: false },
          { name: 'c13', type: 'TIMESTAMP', nullable: true },
        ],
        tags: [{ name: 'tag_name', type: 'VARCHAR', length: 64, nullable: false, primary: true }],
      };
      const batch: Batch = {
        table: 'ts_line_influxdb_tb',
        columns: [
          { name: 'ts', type: 'TIMESTAMPTZ' },
          { name: 'c13', type: 'FLOAT8', inferred: true },
        ],
        tags: [{ name: 'tag_name', type: 'VARCHAR', primary: false, nullable: true, inferred: true }],
        rows: [
          {
            ts: 1648432611249000000n,
            c13: { kind: 'written', form: 'number', text: '1648432611249' },
            tag_name: { kind: 'written', form: 'bare', text: 'tag_value' },
          },
        ],
        precision: 'ns',
        canCreateTable: false,
      };
      const rows = prepareRows(batch, schema, coerceValue).rows.map((r) => r.values);
      expect(rows).toEqual([[1648432611249000000n, 1648432611249000000n, 'tag_value']]);
      expect(insertSql(schema, rows)).toBe(
        `INSERT INTO "ts_line_influxdb_tb" ("ts", "c13", "tag_name") VALUES (${literal}, ${literal}, 'tag_value')`,
      );
    },
  );

  // reference/kwdb.md section 4 "Listing tables": information_schema.tables, table_type 'TIME SERIES TABLE'.
  it('lists time-series tables from information_schema (kwdb.md section 4)', () => {
    expect(LIST_TABLES_SQL).toBe(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'TIME SERIES TABLE' ORDER BY table_name",
    );
  });

  // en/sql-reference/ddl/ts-db/ts-column.md (SHOW COLUMNS, names escaped: delegate/show_table.go).
  // Tags: the SELECT that SHOW TAGS is rewritten into (kwbase/pkg/sql/delegate/show_attributes.go),
  // with the table name escaped: SHOW TAGS pastes it unescaped between single quotes, so a name with
  // `'` is a syntax error (42601) there (reference/kwdb.md section 7 "SHOW TAGS quoting").
  it.each([
    {
      name: 'a plain name',
      table: 'My Table',
      columns: 'SHOW COLUMNS FROM "My Table"',
      tags:
        'SELECT tag_name AS tag, tag_type AS type, is_primary, nullable FROM kwdb_internal.kwdb_attributes ' +
        "WHERE db_name = current_database() AND table_name = 'My Table' ORDER BY tag_idx",
    },
    {
      name: 'a name with a single quote (SHOW TAGS would fail with 42601)',
      table: "it's a table",
      columns: 'SHOW COLUMNS FROM "it\'s a table"',
      tags:
        'SELECT tag_name AS tag, tag_type AS type, is_primary, nullable FROM kwdb_internal.kwdb_attributes ' +
        "WHERE db_name = current_database() AND table_name = 'it''s a table' ORDER BY tag_idx",
    },
  ])(
    'describes a table with SHOW COLUMNS and the kwdb_attributes query: $name',
    ({ table, columns, tags }) => {
      expect(describeSql(table)).toEqual({ columns, tags });
    },
  );

  // SHOW COLUMNS prints `types.T.SQLString()`, which leaves out width 1 of CHAR and NCHAR
  // (kwbase/pkg/sql/types/types.go stringTypeSQL); kwdb_attributes appends it (kwdb_internal.go).
  it('reads CHAR and NCHAR without a printed length as CHAR(1) / NCHAR(1) (types.go stringTypeSQL)', () => {
    const schema = schemaFromShow(
      't',
      [
        { column_name: 'ts', data_type: 'TIMESTAMPTZ(3)', is_nullable: false, is_tag: false },
        { column_name: 'c', data_type: 'CHAR', is_nullable: true, is_tag: false },
        { column_name: 'n', data_type: 'NCHAR', is_nullable: true, is_tag: false },
        { column_name: 'c2', data_type: 'CHAR(2)', is_nullable: true, is_tag: false },
      ],
      [{ tag: 'id', type: 'CHAR(1)', is_primary: true, nullable: false }],
    );
    expect(schema.columns.slice(1)).toEqual([
      { name: 'c', type: 'CHAR', length: 1, nullable: true },
      { name: 'n', type: 'NCHAR', length: 1, nullable: true },
      { name: 'c2', type: 'CHAR', length: 2, nullable: true },
    ]);
    expect(schema.tags).toEqual([{ name: 'id', type: 'CHAR', length: 1, nullable: false, primary: true }]);
    // So the length check applies: 'ab' is refused per record, 'é' (2 bytes) too, 'a' is written.
    const batch: Batch = {
      table: 't',
      columns: [
        { name: 'ts', type: 'TIMESTAMPTZ' },
        { name: 'c', type: 'CHAR' },
        { name: 'n', type: 'NCHAR' },
      ],
      tags: [{ name: 'id', type: 'CHAR', primary: true, nullable: false }],
      rows: [
        { ts: 0n, c: 'a', n: 'é', id: 'x' },
        { ts: 1_000_000n, c: 'ab', id: 'x' },
        { ts: 2_000_000n, c: 'é', id: 'x' },
      ],
      precision: 'ms',
      canCreateTable: true,
    };
    const prepared = prepareRows(batch, schema, noCoerce);
    expect(prepared.rows.map((r) => r.index)).toEqual([0]);
    expect(prepared.rejected.map((r) => r.error.message)).toEqual([
      'table "t", column "c": 2 bytes exceed CHAR(1)',
      'table "t", column "c": 2 bytes exceed CHAR(1)',
    ]);
  });

  it('reads the schema back from SHOW COLUMNS / SHOW TAGS rows', () => {
    const schema = schemaFromShow(
      'ts_json_kaiwudb_tb',
      [
        { column_name: 'ts', data_type: 'TIMESTAMPTZ(3)', is_nullable: false, is_tag: false },
        { column_name: 'c3', data_type: 'INT8', is_nullable: true, is_tag: false },
        { column_name: 'name', data_type: 'NVARCHAR(20)', is_nullable: true, is_tag: false },
        { column_name: 'location', data_type: 'VARCHAR(64)', is_nullable: false, is_tag: true },
        { column_name: 'temperature', data_type: 'FLOAT4', is_nullable: true, is_tag: true },
      ],
      [
        { tag: 'location', type: 'VARCHAR(64)', is_primary: true, nullable: false },
        { tag: 'temperature', type: 'FLOAT4', is_primary: false, nullable: true },
      ],
    );
    expect(schema).toEqual({
      name: 'ts_json_kaiwudb_tb',
      precision: 'ms',
      columns: [
        { name: 'ts', type: 'TIMESTAMPTZ', nullable: false },
        { name: 'c3', type: 'INT8', nullable: true },
        { name: 'name', type: 'NVARCHAR', length: 20, nullable: true },
      ],
      tags: [
        { name: 'location', type: 'VARCHAR', length: 64, nullable: false, primary: true },
        { name: 'temperature', type: 'FLOAT4', nullable: true, primary: false },
      ],
    });
  });

  it.each([
    ['TIMESTAMPTZ(9)', { type: 'TIMESTAMPTZ', size: 9 }],
    ['TIMESTAMP', { type: 'TIMESTAMP' }],
    ['INT', { type: 'INT8' }],
    ['FLOAT', { type: 'FLOAT8' }],
    ['double precision', { type: 'FLOAT8' }],
    ['VARBYTES(254)', { type: 'VARBYTES', size: 254 }],
    ['NCHAR(254)', { type: 'NCHAR', size: 254 }],
  ])('parses the type %s', (text, parsed) => {
    expect(parseKwdbType(text)).toEqual(parsed);
  });

  // en/sql-reference/dml/ts-db/ts-select.md (WHERE, ORDER BY, LIMIT); kwdb.md section 4 "Polling":
  // a time predicate on the first column becomes a TS span. Timestamps are selected without a cast:
  // `::STRING` would run in the TS engine's C++ timestampToString (kwdbts2/exec/src/ee_field_typecast.cpp,
  // possible endless loop before 1970, kwdb.md section 7) and `::INT8` gives ms in Go but the column's
  // unit in the TS engine (sem/tree/eval.go PerformCast vs FieldTypeCastSigned); the plain column's
  // text is exact (TS engine: ee_data_chunk.cpp format_timestamp_common; Go: pgwire/types.go
  // formatTs), read raw (index.ts RAW_TIMESTAMP_TYPES).
  const schema: TableSchema = {
    name: 'cpu',
    precision: 'ns',
    columns: [
      { name: 'k_timestamp', type: 'TIMESTAMPTZ', nullable: false },
      { name: 'usage', type: 'INT8', nullable: true },
    ],
    tags: [
      { name: 'id', type: 'INT8', nullable: false, primary: true },
      { name: 'host', type: 'VARCHAR', length: 64, nullable: false, primary: true },
      { name: 'region', type: 'VARCHAR', length: 64, nullable: true, primary: false },
    ],
  };
  it.each([
    {
      name: 'from the start',
      cursor: null,
      sql:
        'SELECT "k_timestamp", "usage", "id", "host", "region" FROM "cpu" ' +
        'ORDER BY "cpu"."k_timestamp", "cpu"."id", "cpu"."host" LIMIT 100',
    },
    {
      name: 'after a timestamp',
      cursor: { ts: 1705962142224000000n },
      sql:
        'SELECT "k_timestamp", "usage", "id", "host", "region" FROM "cpu" ' +
        'WHERE "k_timestamp" > \'2024-01-22 22:22:22.224000000+00:00\' ORDER BY "cpu"."k_timestamp", "cpu"."id", "cpu"."host" LIMIT 100',
    },
    {
      name: 'after (timestamp, primary tags)',
      cursor: { ts: 1705962142224000001n, primaryTags: [647470401348904608n, "it's"] },
      sql:
        'SELECT "k_timestamp", "usage", "id", "host", "region" FROM "cpu" ' +
        'WHERE ("k_timestamp" > \'2024-01-22 22:22:22.224000001+00:00\' OR ("k_timestamp" = \'2024-01-22 22:22:22.224000001+00:00\' ' +
        'AND ("id" > 647470401348904608 OR ("id" = 647470401348904608 AND "host" > \'it\'\'s\')))) ' +
        'ORDER BY "cpu"."k_timestamp", "cpu"."id", "cpu"."host" LIMIT 100',
    },
  ])('reads after a cursor per ts-select.md: $name', ({ cursor, sql }) => {
    expect(readAfterSql(schema, cursor, 100)).toBe(sql);
  });

  // Upper bound (timestamp.delay.interval.ms): the window of kwdb.md section 4 "Polling"
  // (`WHERE ts > $1 AND ts <= $2 ORDER BY ts LIMIT n`), WHERE/AND per ts-select.md; inclusive.
  it.each([
    {
      name: 'from the start, until a timestamp (inclusive)',
      cursor: null,
      until: 1705962142224999999n,
      sql:
        'SELECT "k_timestamp", "usage", "id", "host", "region" FROM "cpu" ' +
        'WHERE "k_timestamp" <= \'2024-01-22 22:22:22.224999999+00:00\' ORDER BY "cpu"."k_timestamp", "cpu"."id", "cpu"."host" LIMIT 100',
    },
    {
      name: 'after (timestamp, primary tags), until a timestamp',
      cursor: { ts: 1705962142224000001n, primaryTags: [647470401348904608n, 'h'] },
      until: 1705962143000000000n,
      sql:
        'SELECT "k_timestamp", "usage", "id", "host", "region" FROM "cpu" ' +
        'WHERE ("k_timestamp" > \'2024-01-22 22:22:22.224000001+00:00\' OR ("k_timestamp" = \'2024-01-22 22:22:22.224000001+00:00\' ' +
        'AND ("id" > 647470401348904608 OR ("id" = 647470401348904608 AND "host" > \'h\')))) ' +
        'AND "k_timestamp" <= \'2024-01-22 22:22:23.000000000+00:00\' ORDER BY "cpu"."k_timestamp", "cpu"."id", "cpu"."host" LIMIT 100',
    },
  ])(
    'reads after a cursor up to an inclusive bound per ts-select.md and kwdb.md "Polling": $name',
    ({ cursor, until, sql }) => {
      expect(readAfterSql(schema, cursor, 100, until)).toBe(sql);
    },
  );

  it('writes the upper bound at the table precision, truncated down (still inclusive for every stored row)', () => {
    expect(readAfterSql({ ...schema, precision: 'ms' }, null, 10, 1705962142224999999n)).toBe(
      'SELECT "k_timestamp", "usage", "id", "host", "region" FROM "cpu" ' +
        'WHERE "k_timestamp" <= \'2024-01-22 22:22:22.224+00:00\' ORDER BY "cpu"."k_timestamp", "cpu"."id", "cpu"."host" LIMIT 10',
    );
  });

  it('converts rows as KWDB returns them (timestamps as text, INT8 as text, VARBYTES as \\x text)', () => {
    const s: TableSchema = {
      ...schema,
      columns: [
        ...schema.columns,
        { name: 'raw', type: 'VARBYTES', nullable: true },
        { name: 'ok', type: 'BOOL', nullable: true },
      ],
    };
    expect(
      rowFromKwdb(s, {
        k_timestamp: '2024-01-22 22:22:22.224000001+00:00',
        usage: '9223372036854775807',
        raw: '\\x313233',
        ok: true,
        id: '647470401348904608',
        host: 'h',
        region: null,
      }),
    ).toEqual({
      k_timestamp: 1705962142224000001n,
      usage: 9223372036854775807n,
      raw: new Uint8Array([0x31, 0x32, 0x33]),
      ok: true,
      id: 647470401348904608n,
      host: 'h',
      region: null,
    });
  });
});
