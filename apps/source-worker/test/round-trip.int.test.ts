// Issue 6 point 6, the round trip: for each `out.format`, the BUILT source worker reads a table of
// a fresh source database and the BUILT sink worker (dist/apps/sink-worker/main.js, started as
// docs/worker-contract.md says) writes the topic into a fresh target database; then both tables
// are read back with kwdb-client and compared.
// - json_kaiwudb: the sink creates the table from the messages; every type, NULLs, INT8 above
//   2^53 and the table's ns timestamps come back exactly, and the schema too (types, lengths,
//   tags, primary tags, tag nullability, precision).
// - line_influxdb: the target table is created beforehand with the source's definition (the
//   format cannot create tables); every value comes back exactly.
// - json_opentsdb / line_opentsdb: the documented mapping (docs/formats.md): a `timestamp` column,
//   every value column VARCHAR holding the value's text, every tag VARCHAR (the first 4 tag keys
//   in sorted order primary), timestamps in ms.
// The sink-worker build is a dependency of this project's `test` target.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Admin } from 'kafkajs';
import type { Batch, ColumnDef, Row, TagDef } from '@kwdb-connect/formats';
import type { KwdbClient, TableSchema } from '@kwdb-connect/kwdb-client';
import { ensureTopic } from '@kwdb-connect/runtime';
import {
  batch,
  connect,
  env,
  freshDatabase,
  kafkaClient,
  names,
  SINK_WORKER,
  sourceConfig,
  startWorker,
  waitFor,
  type TestDatabase,
  type WorkerHandle,
} from './support';

const FORMATS = ['json_kaiwudb', 'line_influxdb', 'json_opentsdb', 'line_opentsdb'] as const;
type Format = (typeof FORMATS)[number];
const SINK_CLASS = 'com.kaiwudb.kafka.connect.sink.KwdbSinkConnector';
const TABLE = 'rt';
const DEVICES = 3;
const TIMES = 10;

// ---------------------------------------------------------------- json_kaiwudb / line_influxdb

/** Every KWDB type, a ns table. */
const TYPED_COLUMNS: ColumnDef[] = [
  { name: 'ts', type: 'TIMESTAMPTZ', length: 64 },
  { name: 'c_i2', type: 'INT2', length: 16 },
  { name: 'c_i4', type: 'INT4', length: 32 },
  { name: 'c_i8', type: 'INT8', length: 64 },
  { name: 'c_f4', type: 'FLOAT4', length: 32 },
  { name: 'c_f8', type: 'FLOAT8', length: 64 },
  { name: 'c_b', type: 'BOOL', length: 1 },
  { name: 'c_ch', type: 'CHAR', length: 8 },
  { name: 'c_nch', type: 'NCHAR', length: 8 },
  { name: 'c_vc', type: 'VARCHAR', length: 64 },
  { name: 'c_nvc', type: 'NVARCHAR', length: 16 },
  { name: 'c_vb', type: 'VARBYTES', length: 16 },
  { name: 'c_ts', type: 'TIMESTAMP', length: 64 },
  { name: 'c_geo', type: 'GEOMETRY' },
];
const TYPED_TAGS: TagDef[] = [
  { name: 'id', type: 'INT8', length: 64, primary: true, nullable: false },
  { name: 'site', type: 'VARCHAR', length: 32, primary: true, nullable: false },
  { name: 't_i4', type: 'INT4', length: 32, primary: false, nullable: true },
  { name: 't_f8', type: 'FLOAT8', length: 64, primary: false, nullable: true },
  { name: 't_b', type: 'BOOL', length: 1, primary: false, nullable: true },
  { name: 't_vc', type: 'VARCHAR', length: 64, primary: false, nullable: true },
];
const SITES = ['plain', 's p,a=ce', 'quote"d'];

function typedRows(): Row[] {
  const rows: Row[] = [];
  const base = 1_705_962_142_224_000_001n; // ns, sub-ms digits
  for (let d = 0; d < DEVICES; d++) {
    for (let i = 0; i < TIMES; i++) {
      const nulls = i % 4 === 3; // some NULLs in every nullable column
      rows.push({
        ts: base + BigInt(i) * 1_000_000_007n,
        c_i2: nulls ? null : -32768 + i * 7 + d,
        c_i4: 2_147_483_647 - i - d,
        c_i8: (d % 2 === 0 ? 1n : -1n) * (9_007_199_254_740_993n + BigInt(i * 1000 + d)),
        c_f4: nulls ? null : i * 1.1 + d,
        c_f8: d + 0.1 + i * 0.2,
        c_b: nulls ? null : (i + d) % 2 === 0,
        c_ch: `c${i}`,
        c_nch: nulls ? null : `ñ${d}${i}`,
        c_vc: nulls ? null : `v "${d}", it's ${i}\\ =,`,
        c_nvc: `日本${i}`,
        c_vb: nulls ? null : new Uint8Array([0, 0x31, i, 255 - d]),
        c_ts: nulls ? null : 1_000_000_000_123_456_789n + BigInt(i),
        c_geo: `Point(${i} ${d})`,
        id: 647_470_401_348_904_608n + BigInt(d),
        site: SITES[d]!,
        t_i4: d === 2 ? null : 100 + d,
        t_f8: d === 2 ? null : 35.5 + d,
        t_b: d === 2 ? null : d === 0,
        t_vc: d === 2 ? null : `tag ${d}`,
      });
    }
  }
  return rows;
}

// ---------------------------------------------------------------- OpenTSDB

/** Numbers only for line_opentsdb; json_opentsdb also carries BOOL and VARCHAR values. A ms table. */
function opentsdbColumns(format: Format): ColumnDef[] {
  const numbers: ColumnDef[] = [
    { name: 'ts', type: 'TIMESTAMPTZ', length: 64 },
    { name: 'c_i2', type: 'INT2', length: 16 },
    { name: 'c_i4', type: 'INT4', length: 32 },
    { name: 'c_i8', type: 'INT8', length: 64 },
    { name: 'c_f4', type: 'FLOAT4', length: 32 },
    { name: 'c_f8', type: 'FLOAT8', length: 64 },
  ];
  return format === 'json_opentsdb'
    ? [...numbers, { name: 'c_b', type: 'BOOL', length: 1 }, { name: 'c_vc', type: 'VARCHAR', length: 64 }]
    : numbers;
}
const OPENTSDB_TAGS: TagDef[] = [
  { name: 'id', type: 'INT8', length: 64, primary: true, nullable: false },
  { name: 'site', type: 'VARCHAR', length: 32, primary: true, nullable: false },
  { name: 'region', type: 'VARCHAR', length: 32, primary: false, nullable: true },
];

function opentsdbRows(format: Format): Row[] {
  const rows: Row[] = [];
  for (let d = 0; d < DEVICES; d++) {
    for (let i = 0; i < TIMES; i++) {
      const nulls = i % 4 === 3;
      const row: Row = {
        ts: (1_705_962_142_224n + BigInt(i) * 1001n) * 1_000_000n,
        c_i2: nulls ? null : -32768 + i,
        c_i4: 2_147_483_647 - i,
        c_i8: 9_007_199_254_740_993n + BigInt(i * 1000 + d),
        c_f4: nulls ? null : i * 1.1 + d,
        c_f8: 0.1 + i * 0.2,
        id: 647_470_401_348_904_608n + BigInt(d),
        site: `site-${d}`,
        region: `r${d}`,
      };
      if (format === 'json_opentsdb') {
        row['c_b'] = nulls ? null : i % 2 === 0;
        row['c_vc'] = i % 3 === 0 ? `${i}` : `text ${i}, "quoted"`;
      }
      rows.push(row);
    }
  }
  return rows;
}

/** The documented OpenTSDB mapping of a source row: `timestamp`, values and tags as text. */
function opentsdbExpected(row: Row, columns: ColumnDef[], tags: TagDef[]): Row {
  const out: Row = { timestamp: row['ts']! };
  for (const c of columns.slice(1)) {
    const v = row[c.name];
    out[c.name] = v === null || v === undefined ? null : String(v);
  }
  for (const t of tags) out[t.name] = String(row[t.name]);
  return out;
}

// ---------------------------------------------------------------- harness

interface Run {
  format: Format;
  source: TestDatabase;
  target: TestDatabase;
  sourceClient: KwdbClient;
  targetClient: KwdbClient;
  rows: Row[];
  columns: ColumnDef[];
  tags: TagDef[];
  workers: WorkerHandle[];
}

const runs = new Map<Format, Run>();
const shared = names('rt');
const kafka = kafkaClient();

function definition(format: Format): {
  columns: ColumnDef[];
  tags: TagDef[];
  rows: Row[];
  precision: Batch['precision'];
} {
  if (format === 'json_kaiwudb' || format === 'line_influxdb')
    return { columns: TYPED_COLUMNS, tags: TYPED_TAGS, rows: typedRows(), precision: 'ns' };
  return {
    columns: opentsdbColumns(format),
    tags: OPENTSDB_TAGS,
    rows: opentsdbRows(format),
    precision: 'ms',
  };
}

/** Creates a one-partition topic; ensureTopic returns once its leader is known. */
async function createTopic(admin: Admin, topic: string, compacted = false): Promise<void> {
  await ensureTopic(admin, topic, { compacted, partitions: 1, replicationFactor: 1 });
}

async function readAll(client: KwdbClient, table: string): Promise<Row[]> {
  // The sink adds OpenTSDB metric columns as they arrive: read the table's schema afresh each time,
  // or a schema cached while only some columns existed would hide the later ones.
  client.forgetSchema(table);
  const out: Row[] = [];
  let cursor = null;
  for (;;) {
    const page = await client.readAfter(table, cursor, 1000);
    out.push(...page.rows);
    if (page.rows.length < 1000) return out;
    cursor = page.cursor;
  }
}

/** Rows keyed by their timestamp and primary tags (as text), for order-free comparison. */
function byKey(rows: Row[], tsName: string, keyNames: string[]): Map<string, Row> {
  return new Map(rows.map((r) => [[r[tsName], ...keyNames.map((k) => r[k])].map(String).join('|'), r]));
}

beforeAll(async () => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    // The status and offsets topics exist before the workers start (as they do in a running
    // deployment): several workers creating one topic at once race in kafkajs' metadata.
    await createTopic(admin, shared.statusTopic, true);
    await createTopic(admin, shared.offsetsTopic, true);
    for (const format of FORMATS) {
      const short = format.replace('_', '');
      const { columns, tags, rows, precision } = definition(format);
      const source = await freshDatabase(`rt_src_${short}`);
      const target = await freshDatabase(`rt_dst_${short}`);
      const sourceClient = await connect(source.url);
      const targetClient = await connect(target.url);
      const written = await sourceClient.write(batch(TABLE, columns, tags, rows, precision));
      expect(written.rejected).toEqual([]);
      // line_influxdb cannot create tables: the target table exists beforehand, same types.
      if (format === 'line_influxdb')
        await targetClient.ensureTable(batch(TABLE, columns, tags, [], precision));

      const n = names(`rt-${short}`);
      const topic = `${n.name}-${source.name}-${TABLE}`;
      await createTopic(admin, topic);
      const sourceWorker = startWorker({
        name: n.name,
        offsetsTopic: shared.offsetsTopic,
        statusTopic: shared.statusTopic,
        config: sourceConfig(n.name, source.name, source.url, {
          'out.format': format,
          'fetch.max.rows': '25',
          'query.interval.ms': '200',
        }),
      });
      const sinkName = `${n.name}-sink`;
      const sinkWorker = startWorker({
        name: sinkName,
        offsetsTopic: shared.offsetsTopic,
        statusTopic: shared.statusTopic,
        script: SINK_WORKER,
        config: {
          'connector.class': SINK_CLASS,
          'tasks.max': '1',
          topics: topic,
          'connection.url': `postgres://${env().postgres.host}:${env().postgres.port}`,
          'connection.user': 'postgres',
          'connection.database': target.name,
          'protocol.type': format,
          'timestamp.precision': precision,
          'batch.size': 1000,
          'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
          'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
        },
      });
      runs.set(format, {
        format,
        source,
        target,
        sourceClient,
        targetClient,
        rows,
        columns,
        tags,
        workers: [sourceWorker, sinkWorker],
      });
    }
  } finally {
    await admin.disconnect();
  }
}, 120_000);

afterAll(async () => {
  for (const run of runs.values()) {
    for (const w of run.workers) w.kill('SIGKILL');
    await run.sourceClient.close().catch(() => undefined);
    await run.targetClient.close().catch(() => undefined);
    await run.source.drop();
    await run.target.drop();
  }
});

/** Waits until the target holds `want` rows equal to the expected ones (OpenTSDB points fill rows column by column). */
async function settle(run: Run, tsName: string, expected: Row[]): Promise<Row[]> {
  let got: Row[] = [];
  const keyNames = run.tags.filter((t) => t.primary).map((t) => t.name);
  const want = byKey(expected, tsName, keyNames);
  try {
    await waitFor(
      `${run.format}: ${expected.length} rows in the target`,
      async () => {
        got = await readAll(run.targetClient, TABLE).catch(() => []);
        if (got.length !== expected.length) return false;
        const have = byKey(got, tsName, keyNames);
        return [...want].every(
          ([k, row]) => JSON.stringify(have.get(k), replacer) === JSON.stringify(row, replacer),
        );
      },
      60_000,
    );
  } catch (error) {
    // Not settled: show what the workers said last (diagnosis of a rare line_opentsdb stall).
    for (const w of run.workers)
      process.stderr.write(`${run.format} worker log tail:\n${w.logs.slice(-20).join('\n')}\n`);
    for (const w of run.workers)
      if (w.child.exitCode !== null) throw new Error(`a worker exited: ${w.logs.slice(-10).join('\n')}`);
    if (got.length !== expected.length) throw error;
  }
  return got;
}

/** JSON form for comparing rows regardless of key order: bigint and bytes as text, keys sorted. */
function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Uint8Array) return `bytes:${Buffer.from(value).toString('hex')}`;
  if (value && typeof value === 'object' && !Array.isArray(value))
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)));
  return value;
}

const sortRows = (rows: Row[], tsName: string, keys: string[]): Row[] =>
  [...byKey(rows, tsName, keys).entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, r]) => r);

describe('round trip: source worker -> Kafka -> sink worker, per out.format', () => {
  it('json_kaiwudb: every type, NULLs, INT8 above 2^53 and ns timestamps come back exactly, schema included', async () => {
    const run = runs.get('json_kaiwudb')!;
    const keys = ['id', 'site'];
    const original = await readAll(run.sourceClient, TABLE);
    expect(original).toHaveLength(DEVICES * TIMES);
    const got = await settle(run, 'ts', original);
    expect(sortRows(got, 'ts', keys)).toEqual(sortRows(original, 'ts', keys));
    expect(got.some((r) => r['c_i8'] === 9_007_199_254_740_993n)).toBe(true);

    const shape = (s: TableSchema) => ({
      precision: s.precision,
      columns: s.columns.map(({ name, type, length }) => ({ name, type, length })),
      tags: s.tags,
    });
    const sourceSchema = await run.sourceClient.describeTable(TABLE);
    const targetSchema = await run.targetClient.describeTable(TABLE);
    expect(shape(targetSchema)).toEqual(shape(sourceSchema));
    expect(targetSchema.precision).toBe('ns');
  }, 90_000);

  it('line_influxdb: into the same table created beforehand, every value comes back exactly', async () => {
    const run = runs.get('line_influxdb')!;
    const keys = ['id', 'site'];
    const original = await readAll(run.sourceClient, TABLE);
    expect(original).toHaveLength(DEVICES * TIMES);
    const got = await settle(run, 'ts', original);
    expect(sortRows(got, 'ts', keys)).toEqual(sortRows(original, 'ts', keys));
  }, 90_000);

  for (const format of ['json_opentsdb', 'line_opentsdb'] as const) {
    it(`${format}: the documented mapping (timestamp column, values and tags as VARCHAR text, ms)`, async () => {
      const run = runs.get(format)!;
      const original = await readAll(run.sourceClient, TABLE);
      expect(original).toHaveLength(DEVICES * TIMES);
      const expected = original.map((r) => opentsdbExpected(r, run.columns, run.tags));
      // Tags are sorted by key; the first 4 become primary tags: id, region, site.
      const keys = ['id', 'region', 'site'];
      const got = await settle(
        { ...run, tags: keys.map((name) => ({ name, type: 'VARCHAR', primary: true, nullable: false })) },
        'timestamp',
        expected,
      );
      expect(sortRows(got, 'timestamp', keys)).toEqual(sortRows(expected, 'timestamp', keys));

      const schema = await run.targetClient.describeTable(TABLE);
      expect(schema.precision).toBe('ms');
      expect(schema.columns[0]).toMatchObject({ name: 'timestamp', type: 'TIMESTAMPTZ' });
      expect(schema.columns.slice(1).map((c) => [c.name, c.type])).toEqual(
        run.columns.slice(1).map((c) => [c.name, 'VARCHAR']),
      );
      expect(schema.tags.map((t) => [t.name, t.type, t.primary])).toEqual([
        ['id', 'VARCHAR', true],
        ['region', 'VARCHAR', true],
        ['site', 'VARCHAR', true],
      ]);
      // INT8 above 2^53 survives as its exact digits.
      expect(got.some((r) => r['c_i8'] === '9007199254740993')).toBe(true);
    }, 90_000);
  }
});
