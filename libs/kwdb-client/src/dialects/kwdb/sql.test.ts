// Golden SQL for the kwdb dialect. KWDB cannot run here, so each statement is
// compared with the exact text we expect, and each case names the KWDB
// document (KWDB/docs, branch master, KWDB 3.2.1; cited in
// /work/shared/reference/kwdb.md) whose grammar it follows.
import { describe, expect, it } from '@jest/globals';
import type { Batch, ColumnDef, TagDef } from '@kwdb-connect/formats';
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
        "('2023-11-14 22:13:20.123456789+00:00', '''; DROP TABLE x; --\n\\ 北京', '\\x5c27', 'o''neil')",
    );
  });

  // reference/kwdb.md section 4 "Listing tables": information_schema.tables, table_type 'TIME SERIES TABLE'.
  it('lists time-series tables from information_schema (kwdb.md section 4)', () => {
    expect(LIST_TABLES_SQL).toBe(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'TIME SERIES TABLE' ORDER BY table_name",
    );
  });

  // en/sql-reference/ddl/ts-db/ts-column.md (SHOW COLUMNS) and ts-label.md (SHOW TAGS).
  it('describes a table with SHOW COLUMNS and SHOW TAGS (ts-column.md, ts-label.md)', () => {
    expect(describeSql('My Table')).toEqual({
      columns: 'SHOW COLUMNS FROM "My Table"',
      tags: 'SHOW TAGS FROM "My Table"',
    });
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
  // a time predicate on the first column becomes a TS span; ts::STRING keeps sub-ms precision.
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
        'SELECT "k_timestamp"::STRING AS "k_timestamp", "usage", "id", "host", "region" FROM "cpu" ' +
        'ORDER BY "cpu"."k_timestamp", "cpu"."id", "cpu"."host" LIMIT 100',
    },
    {
      name: 'after a timestamp',
      cursor: { ts: 1705962142224000000n },
      sql:
        'SELECT "k_timestamp"::STRING AS "k_timestamp", "usage", "id", "host", "region" FROM "cpu" ' +
        'WHERE "k_timestamp" > \'2024-01-22 22:22:22.224000000+00:00\' ORDER BY "cpu"."k_timestamp", "cpu"."id", "cpu"."host" LIMIT 100',
    },
    {
      name: 'after (timestamp, primary tags)',
      cursor: { ts: 1705962142224000001n, primaryTags: [647470401348904608n, "it's"] },
      sql:
        'SELECT "k_timestamp"::STRING AS "k_timestamp", "usage", "id", "host", "region" FROM "cpu" ' +
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
        'SELECT "k_timestamp"::STRING AS "k_timestamp", "usage", "id", "host", "region" FROM "cpu" ' +
        'WHERE "k_timestamp" <= \'2024-01-22 22:22:22.224999999+00:00\' ORDER BY "cpu"."k_timestamp", "cpu"."id", "cpu"."host" LIMIT 100',
    },
    {
      name: 'after (timestamp, primary tags), until a timestamp',
      cursor: { ts: 1705962142224000001n, primaryTags: [647470401348904608n, 'h'] },
      until: 1705962143000000000n,
      sql:
        'SELECT "k_timestamp"::STRING AS "k_timestamp", "usage", "id", "host", "region" FROM "cpu" ' +
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
      'SELECT "k_timestamp"::STRING AS "k_timestamp", "usage", "id", "host", "region" FROM "cpu" ' +
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
