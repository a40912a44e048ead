// Issue 11 against the real PostgreSQL: KWDB's rules (kwdb-rules.ts) give the postgres dialect the
// same results as the kwdb dialect, and the kwdb dialect's raw-timestamp read path works with a
// real server and node-pg.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decode, type ColumnDef, type Precision, type TagDef } from '@kwdb-connect/formats';
import pg from 'pg';
import type { KwdbClient } from './client';
import { kwdbDialect } from './dialects/kwdb';
import { connectTo, freshDatabase, makeBatch, rawClient } from './test-support';
import type { TableSchema } from './types';

// The guide's first line_influxdb line, as written (spec/kafka-connector-guide.md, "InfluxDB Line
// Format"): c13=1648432611249 is a TIMESTAMP field; the line's own timestamp is in ns.
const GUIDE_LINE =
  'ts_line_influxdb_tb,tag_name=tag_value c1=11i16,c2=21i32,c3=31i64,c4=11.8f32,c5=0.16f64,c6=true,' +
  'c7=\\"112132\\",c8=\\"213645\\",c9=\'a\',c10=L\\"1\\",c11=\\"qaz\\",c12=L\\"tgb\\",c13=1648432611249 1648432611249000000';

const GUIDE_INFLUX_COLUMNS: ColumnDef[] = [
  { name: 'ts', type: 'TIMESTAMPTZ' },
  { name: 'c1', type: 'INT2' },
  { name: 'c2', type: 'INT4' },
  { name: 'c3', type: 'INT8' },
  { name: 'c4', type: 'FLOAT4' },
  { name: 'c5', type: 'FLOAT8' },
  { name: 'c6', type: 'BOOL' },
  { name: 'c7', type: 'VARBYTES', length: 64 },
  { name: 'c8', type: 'VARBYTES', length: 64 },
  { name: 'c9', type: 'CHAR', length: 1 },
  { name: 'c10', type: 'NCHAR', length: 1 },
  { name: 'c11', type: 'VARCHAR', length: 64 },
  { name: 'c12', type: 'NVARCHAR', length: 64 },
  { name: 'c13', type: 'TIMESTAMP' },
];
const TAG: TagDef[] = [{ name: 'tag_name', type: 'VARCHAR', length: 64, primary: true, nullable: false }];

describe('integer timestamps: milliseconds in every table precision (kwdb-rules.ts INTEGER_TIMESTAMP_UNIT)', () => {
  const dbs: Array<Awaited<ReturnType<typeof freshDatabase>>> = [];
  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });

  it.each([
    { precision: 'ms' as Precision, stored: '2022-03-28 01:56:51.249+00' },
    { precision: 'us' as Precision, stored: '2022-03-28 01:56:51.249+00' },
    { precision: 'ns' as Precision, stored: '1648432611249000000' },
  ])(
    "the guide's c13=1648432611249 in a $precision table is 2022-03-28 01:56:51.249, as the user means",
    async ({ precision, stored }) => {
      const db = await freshDatabase(`kwc_int_ts_${precision}`);
      dbs.push(db);
      const client = await connectTo(db.url);
      const raw = await rawClient(db.url);
      try {
        await client.ensureTable(makeBatch('ts_line_influxdb_tb', GUIDE_INFLUX_COLUMNS, TAG, [], precision));
        const { batches, errors } = decode('line_influxdb', GUIDE_LINE, { precision: 'ns' });
        expect(errors).toEqual([]);
        expect(await client.write(batches)).toEqual({ rowsWritten: 1, rejected: [] });
        const read = await client.readAfter('ts_line_influxdb_tb', null, 10);
        expect(read.rows.map((r) => [r['ts'], r['c13']])).toEqual([
          [1648432611249000000n, 1648432611249000000n],
        ]);
        await raw.query(`SET TIME ZONE 'UTC'`);
        const r = await raw.query<{ c13: string }>('SELECT c13::text AS c13 FROM ts_line_influxdb_tb');
        expect(r.rows).toEqual([{ c13: stored }]);
      } finally {
        await raw.end();
        await client.close();
      }
    },
  );
});

describe('values KWDB refuses fail alone in one multi-row write (postgres dialect, same rules)', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let client: KwdbClient;
  beforeAll(async () => {
    db = await freshDatabase('kwc_rules');
    client = await connectTo(db.url);
  });
  afterAll(async () => {
    await client?.close();
    await db?.drop();
  });

  it('FLOAT4 below 2^-149, VARBYTES over n bytes and CHAR(1) over 1 byte are per-record errors; the rest is written', async () => {
    const columns: ColumnDef[] = [
      { name: 'ts', type: 'TIMESTAMPTZ' },
      { name: 'f4', type: 'FLOAT4' },
      { name: 'vb', type: 'VARBYTES', length: 8 },
      { name: 'c', type: 'CHAR' },
    ];
    const tags: TagDef[] = [{ name: 'id', type: 'INT4', primary: true, nullable: false }];
    const rows = [
      { ts: 1n * 1_000_000n, f4: 1.401298464324817e-45, vb: new Uint8Array(8), c: 'a', id: 1 },
      { ts: 2n * 1_000_000n, f4: 1e-45, id: 1 },
      { ts: 3n * 1_000_000n, vb: new Uint8Array(9), id: 1 },
      { ts: 4n * 1_000_000n, c: 'ab', id: 1 },
      { ts: 5n * 1_000_000n, f4: -0, id: 1 },
    ];
    const result = await client.write(makeBatch('rules', columns, tags, rows));
    expect(result.rowsWritten).toBe(2);
    expect(result.rejected.map((r) => [r.row, r.error.code, r.error.message])).toEqual([
      [
        1,
        'VALUE_OUT_OF_RANGE',
        expect.stringContaining('table "rules", column "f4": 1e-45 is outside FLOAT4 range'),
      ],
      [2, 'VALUE_TOO_LONG', 'table "rules", column "vb": 9 bytes exceed VARBYTES(8)'],
      [3, 'VALUE_TOO_LONG', 'table "rules", column "c": 2 bytes exceed CHAR(1)'],
    ]);
    const back = await client.readAfter('rules', null, 10);
    expect(back.rows.map((r) => r['ts'])).toEqual([1_000_000n, 5_000_000n]);
  });
});

describe('kwdb dialect readAfter: timestamps read uncast, as raw server text (RAW_TIMESTAMP_TYPES)', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let pool: pg.Pool;
  beforeAll(async () => {
    db = await freshDatabase('kwc_raw_ts');
    pool = new pg.Pool({ connectionString: db.url, max: 1 });
    await pool.query(`SET TIME ZONE 'UTC'`);
    await pool.query(
      'CREATE TABLE "t" ("ts" timestamptz(6) NOT NULL, "at" timestamp(6), "v" int8, "id" varchar(8) NOT NULL)',
    );
    // Before 1970 with a sub-second part (the C++ ::STRING hazard), year 1 BC, and a recent row.
    await pool.query(
      `INSERT INTO "t" VALUES ('1969-12-31 23:59:59.999999+00', '1969-07-20 20:17:40.5', 9223372036854775807, 'a'),` +
        ` ('0001-01-01 00:00:00+00 BC', NULL, NULL, 'b'), ('2023-11-14 22:13:20.123456+00', '2023-11-14 22:13:20.000001', 1, 'c')`,
    );
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  const schema: TableSchema = {
    name: 't',
    precision: 'us',
    columns: [
      { name: 'ts', type: 'TIMESTAMPTZ', nullable: false },
      { name: 'at', type: 'TIMESTAMP', nullable: true },
      { name: 'v', type: 'INT8', nullable: true },
    ],
    tags: [{ name: 'id', type: 'VARCHAR', length: 8, nullable: false, primary: true }],
  };
  const ns = (iso: string, subMs = 0n): bigint => BigInt(Date.parse(iso)) * 1_000_000n + subMs;

  it('reads every timestamp exactly (before 1970, BC, sub-millisecond) and pages by (ts, primary tags)', async () => {
    const all = await kwdbDialect.readAfter(pool, schema, null, 10);
    expect(all).toEqual([
      { ts: ns('0000-01-01T00:00:00Z'), at: null, v: null, id: 'b' },
      {
        ts: ns('1969-12-31T23:59:59.999Z', 999_000n),
        at: ns('1969-07-20T20:17:40.500Z'),
        v: 9223372036854775807n,
        id: 'a',
      },
      {
        ts: ns('2023-11-14T22:13:20.123Z', 456_000n),
        at: ns('2023-11-14T22:13:20.000Z', 1_000n),
        v: 1n,
        id: 'c',
      },
    ]);
    const after = await kwdbDialect.readAfter(
      pool,
      schema,
      { ts: all[1]!['ts'] as bigint, primaryTags: ['a'] },
      10,
    );
    expect(after.map((r) => r['id'])).toEqual(['c']);
  });
});
