// The guide's OpenTSDB examples as kafka-console-producer sends them: one Kafka record per line,
// each decoded and written on its own (spec/kafka-connector-guide.md, "OpenTSDB Telnet Format" and
// "OpenTSDB JSON Format"), against the real PostgreSQL. Record 1 creates the table with c1, record 2
// adds c2 (canAddColumns), and the values of c1 and c2 at one timestamp end up in one row: a later
// record never erases a column it does not give. Also: added ordinary tags, refused primary tags,
// concurrent writers adding the same columns, line_influxdb timestamps, the describeTable cache.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decode, type Batch, type Protocol } from '@kwdb-connect/formats';
import type pg from 'pg';
import { KwdbClient } from './client';
import { connectTo, freshDatabase, rawClient } from './test-support';

/** The guide's line_opentsdb example, line by line. */
const GUIDE_LINES = [
  'ts_line_opentsdb_tb.c1 1648432611249 10.3 tag1=1',
  'ts_line_opentsdb_tb.c2 1648432611249 219 tag1=1',
  'ts_line_opentsdb_tb.c1 1648432611250 12.6 tag1=1',
  'ts_line_opentsdb_tb.c2 1648432611250 218 tag1=1',
  'ts_line_opentsdb_tb.c1 1648432611249 10.8 tag1=1',
  'ts_line_opentsdb_tb.c2 1648432611249 221 tag1=1',
  'ts_line_opentsdb_tb.c1 1648432611250 11.3 tag1=1',
  'ts_line_opentsdb_tb.c2 1648432611250 217 tag1=1',
];
/** What the guide's 8 lines mean: the later point of a column wins, c1 and c2 share rows. */
const GUIDE_RESULT = [
  { ts: '1648432611249', c1: '10.8', c2: '221', tag1: '1' },
  { ts: '1648432611250', c1: '11.3', c2: '217', tag1: '1' },
];

function decoded(protocol: Protocol, message: string): Batch[] {
  const { batches, errors } = decode(protocol, message, {
    precision: protocol === 'line_influxdb' ? 'ns' : 'ms',
  });
  expect(errors).toEqual([]);
  return batches;
}

describe('OpenTSDB records that add columns, record by record (postgres dialect)', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let client: KwdbClient;
  let raw: pg.Client;

  beforeAll(async () => {
    db = await freshDatabase('kwc_opentsdb');
    client = await connectTo(db.url);
    raw = await rawClient(db.url);
  });
  afterAll(async () => {
    await raw?.end();
    await client?.close();
    await db?.drop();
  });

  const rowsOf = async (sql: string) => (await raw.query(sql)).rows as Record<string, unknown>[];

  it("writes the guide's 8 line_opentsdb lines one record per write: c1 and c2 of a timestamp in one row", async () => {
    for (const line of GUIDE_LINES) {
      const result = await client.write(decoded('line_opentsdb', line));
      expect({ line, ...result }).toEqual({ line, rowsWritten: 1, rejected: [] });
    }
    expect(
      await rowsOf(
        `SELECT (extract(epoch FROM "timestamp") * 1000)::bigint::text AS ts, c1, c2, tag1
         FROM ts_line_opentsdb_tb ORDER BY "timestamp"`,
      ),
    ).toEqual(GUIDE_RESULT);
    // The table gained c2 after record 1 created it; the recorded definition lists it (the source reads it).
    client.forgetSchema();
    const schema = await client.describeTable('ts_line_opentsdb_tb');
    expect(schema.columns.map((c) => [c.name, c.type, c.length ?? null, c.nullable])).toEqual([
      ['timestamp', 'TIMESTAMPTZ', 64, false],
      ['c1', 'VARCHAR', 254, true],
      ['c2', 'VARCHAR', 254, true],
    ]);
    expect(schema.tags).toEqual([
      { name: 'tag1', type: 'VARCHAR', length: 128, primary: true, nullable: false },
    ]);
  });

  it('gives the same rows when the 8 records arrive in one write call (the sink merges records)', async () => {
    const batches = GUIDE_LINES.flatMap((line) =>
      decoded('line_opentsdb', line.replace('ts_line_opentsdb_tb', 'one_call')),
    );
    const result = await client.write(batches);
    expect(result.rejected).toEqual([]);
    expect(result.rowsWritten).toBe(2);
    expect(
      await rowsOf(
        `SELECT (extract(epoch FROM "timestamp") * 1000)::bigint::text AS ts, c1, c2, tag1 FROM one_call ORDER BY "timestamp"`,
      ),
    ).toEqual(GUIDE_RESULT);
  });

  it("writes the guide's json_opentsdb message (one record) into one table with c1 and c2", async () => {
    const message =
      '[{"metric":"ts_json_opentsdb_tb.c1","timestamp":1648432611249,"value":10.3,"tags":{"tag_name":"tag_value"}},' +
      '{"metric":"ts_json_opentsdb_tb.c2","timestamp":1648432611339,"value":219,"tags":{"tag_name":"tag_value"}},' +
      '{"metric":"ts_json_opentsdb_tb.c1","timestamp":1648432611340,"value":12.6,"tags":{"tag_name":"tag_value"}},' +
      '{"metric":"ts_json_opentsdb_tb.c2","timestamp":1648432611250,"value":218,"tags":{"tag_name":"tag_value"}}]';
    expect((await client.write(decoded('json_opentsdb', message))).rejected).toEqual([]);
    // A later record with c2 for an existing timestamp fills that row's c2 and keeps its c1.
    const later =
      '{"metric":"ts_json_opentsdb_tb.c2","timestamp":1648432611249,"value":"x","tags":{"tag_name":"tag_value"}}';
    expect((await client.write(decoded('json_opentsdb', later))).rejected).toEqual([]);
    expect(
      await rowsOf(
        `SELECT (extract(epoch FROM "timestamp") * 1000)::bigint::text AS ts, c1, c2, tag_name
         FROM ts_json_opentsdb_tb ORDER BY "timestamp"`,
      ),
    ).toEqual([
      { ts: '1648432611249', c1: '10.3', c2: 'x', tag_name: 'tag_value' },
      { ts: '1648432611250', c1: null, c2: '218', tag_name: 'tag_value' },
      { ts: '1648432611339', c1: null, c2: '219', tag_name: 'tag_value' },
      { ts: '1648432611340', c1: '12.6', c2: null, tag_name: 'tag_value' },
    ]);
  });

  it('adds ordinary tags (the 5th tag key on) but refuses a primary tag the table does not have', async () => {
    const tags4 = 'a=1 b=2 c=3 d=4';
    expect(
      (await client.write(decoded('line_opentsdb', `tagged.v 1700000000000 1 ${tags4}`))).rejected,
    ).toEqual([]);
    // e sorts after a..d: an ordinary tag, added.
    expect(
      (await client.write(decoded('line_opentsdb', `tagged.w 1700000000000 2 ${tags4} e=5`))).rejected,
    ).toEqual([]);
    expect(await rowsOf(`SELECT v, w, a, b, c, d, e FROM tagged`)).toEqual([
      { v: '1', w: '2', a: '1', b: '2', c: '3', d: '4', e: '5' },
    ]);
    // Tag keys {a, aa}: both among the first 4, so primary, and aa is not a primary tag of the table.
    const result = await client.write(decoded('line_opentsdb', 'tagged.v 1700000000001 3 a=1 aa=2'));
    expect(result.rowsWritten).toBe(0);
    expect(result.rejected[0]!.error).toMatchObject({ code: 'SCHEMA_MISMATCH', column: 'aa' });
    expect(result.rejected[0]!.error.message).toContain('primary tags cannot be added');
    const columns = await rowsOf(
      `SELECT attname FROM pg_attribute WHERE attrelid = 'tagged'::regclass AND attnum > 0 ORDER BY attnum`,
    );
    expect(columns.map((c) => c['attname'])).not.toContain('aa');
  });

  it('keeps the strict check for formats that cannot add columns (json_kaiwudb)', async () => {
    const table = (columns: string) =>
      `{"table":"strict_t","columns":[{"name":"ts","type":"TIMESTAMPTZ"}${columns}],` +
      `"tags":[{"name":"id","type":"VARCHAR","length":8,"isPrimary":true,"nullable":false}],"data":[{"ts":1700000000000,"id":"a"}]}`;
    expect(
      (await client.write(decoded('json_kaiwudb', table(',{"name":"c1","type":"INT4"}')))).rejected,
    ).toEqual([]);
    const result = await client.write(
      decoded('json_kaiwudb', table(',{"name":"c1","type":"INT4"},{"name":"c2","type":"INT4"}')),
    );
    expect(result.rejected[0]!.error).toMatchObject({ code: 'SCHEMA_MISMATCH', column: 'c2' });
  });

  it('lets several writers add the same columns at once (advisory lock, IF NOT EXISTS, definition merged once)', async () => {
    const writers = await Promise.all([1, 2, 3, 4, 5].map(() => connectTo(db.url)));
    try {
      await writers[0]!.write(decoded('line_opentsdb', 'raced.c0 1700000000000 0 host=h a=1 b=2 c=3'));
      await Promise.all(
        writers.map(async (w) => {
          // Each writer has c0 cached; each adds c1..c3 (with a new ordinary tag) for its own timestamp.
          await w.describeTable('raced');
          for (const c of ['c1', 'c2', 'c3']) {
            const result = await w.write(
              decoded('line_opentsdb', `raced.${c} 1700000000001 ${c.slice(1)} host=h a=1 b=2 c=3 z=9`),
            );
            expect(result.rejected).toEqual([]);
          }
        }),
      );
    } finally {
      await Promise.all(writers.map((w) => w.close()));
    }
    expect(await rowsOf(`SELECT c0, c1, c2, c3, z FROM raced ORDER BY "timestamp"`)).toEqual([
      { c0: '0', c1: null, c2: null, c3: null, z: null },
      { c0: null, c1: '1', c2: '2', c3: '3', z: '9' },
    ]);
    const recorded = await rowsOf(`SELECT definition FROM kwdb_connect_tables WHERE table_name = 'raced'`);
    const definition = recorded[0]!['definition'] as {
      columns: { name: string }[];
      tags: { name: string; primary: boolean }[];
    };
    expect(definition.columns.map((c) => c.name)).toEqual(['timestamp', 'c0', 'c1', 'c2', 'c3']);
    expect(definition.tags.map((t) => [t.name, t.primary])).toEqual([
      ['a', true],
      ['b', true],
      ['c', true],
      ['host', true],
      ['z', false],
    ]);
  });

  it("writes line_influxdb lines: '' is the table's first column, a line without a timestamp is stamped", async () => {
    await client.write(
      decoded(
        'json_kaiwudb',
        '{"table":"influx_ts","columns":[{"name":"k_ts","type":"TIMESTAMPTZ"},{"name":"c1","type":"INT4"}],"tags":[{"name":"id","type":"VARCHAR","length":8,"isPrimary":true,"nullable":false}],"data":[]}',
      ),
    );
    const stamped = await KwdbClient.connect(
      { url: db.url, attempts: 1, backoffMs: 0 },
      { now: () => 1_700_000_000_123_000_000n },
    );
    try {
      const message = 'influx_ts,id=a c1=1i32 1648432611249000000\ninflux_ts,id=b c1=2i32';
      const result = await stamped.write(decoded('line_influxdb', message));
      expect(result).toEqual({ rowsWritten: 2, rejected: [] });
    } finally {
      await stamped.close();
    }
    expect(
      await rowsOf(
        `SELECT (extract(epoch FROM k_ts) * 1000)::bigint::text AS ts, c1, id FROM influx_ts ORDER BY id`,
      ),
    ).toEqual([
      { ts: '1648432611249', c1: 1, id: 'a' },
      { ts: '1700000000123', c1: 2, id: 'b' },
    ]);
  });

  it('caches describeTable until forgetSchema', async () => {
    const before = await client.describeTable('ts_line_opentsdb_tb');
    await raw.query(`ALTER TABLE ts_line_opentsdb_tb ADD COLUMN by_hand int4`);
    expect(await client.describeTable('ts_line_opentsdb_tb')).toBe(before);
    client.forgetSchema('ts_line_opentsdb_tb');
    const after = await client.describeTable('ts_line_opentsdb_tb');
    expect(after.columns.map((c) => c.name)).toContain('by_hand');
  });
});
