// Postgres dialect against the real PostgreSQL of the test environment:
// connection, DDL, metadata, writes, replay idempotence, upsert of given columns, batch.size,
// concurrent creation, per-record errors.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Batch, Row } from '@kwdb-connect/formats';
import { loadTestEnv } from '@kwdb-connect/testing';
import type pg from 'pg';
import { KwdbClient } from './client';
import { KwdbClientError, SchemaMismatchError, TableNotFoundError } from './errors';
import { GUIDE_COLUMNS, GUIDE_TAGS, connectTo, freshDatabase, makeBatch, rawClient } from './test-support';

const guideRows: Row[] = [
  {
    ts: 1690855924005n * 1_000_000n,
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
    ts: 1691853703011n * 1_000_000n,
    c1: 12,
    c2: 22,
    c3: 6422208944865124578n,
    c4: 1.01635,
    c5: 0.53533,
    c6: false,
    location: 'tianjin',
    temperature: 35.5,
  },
];

describe('postgres dialect: connect, create, write', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let client: KwdbClient;
  let raw: pg.Client;

  beforeAll(async () => {
    db = await freshDatabase('kwc_write');
    client = await connectTo(db.url, { batchSize: 3 });
    raw = await rawClient(db.url);
  });
  afterAll(async () => {
    await raw?.end();
    await client?.close();
    await db?.drop();
  });

  it('detects the postgres dialect from SELECT version() and uses the explicit database', async () => {
    expect(client.dialect).toBe('postgres');
    expect(client.serverVersion).toMatch(/^PostgreSQL 1\d/);
    expect(client.database).toBe(db.name);
  });

  it('honours an explicit dialect override', async () => {
    const env = loadTestEnv('postgres');
    const c = await KwdbClient.connect({ url: db.url, dialect: 'kwdb', attempts: 1 });
    expect(c.dialect).toBe('kwdb');
    await c.close();
    expect(env.postgres.running).toBe(true);
  });

  it('creates the guide table with its primary key and recorded tags, and writes the guide rows exactly', async () => {
    const batch = makeBatch('ts_json_kaiwudb_tb', GUIDE_COLUMNS, GUIDE_TAGS, guideRows);
    const result = await client.write(batch);
    expect(result).toEqual({ rowsWritten: 2, rejected: [] });

    const pk = await raw.query(
      `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
       WHERE i.indrelid = '"ts_json_kaiwudb_tb"'::regclass AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)`,
    );
    expect(pk.rows.map((r) => r.attname)).toEqual(['ts', 'location']);

    const stored = await raw.query(
      `SELECT (extract(epoch from ts) * 1000)::int8::text AS ms, c1, c2, c3::text AS c3, c4, c5, c6, location, temperature
       FROM ts_json_kaiwudb_tb ORDER BY ts`,
    );
    expect(stored.rows).toEqual([
      {
        ms: '1690855924005',
        c1: 11,
        c2: 21,
        c3: '2535208944865431245',
        c4: 6.14545,
        c5: 5.15656,
        c6: true,
        location: 'tianjin',
        temperature: 35.5,
      },
      {
        ms: '1691853703011',
        c1: 12,
        c2: 22,
        c3: '6422208944865124578',
        c4: 1.01635,
        c5: 0.53533,
        c6: false,
        location: 'tianjin',
        temperature: 35.5,
      },
    ]);

    const schema = await client.describeTable('ts_json_kaiwudb_tb');
    expect(schema.precision).toBe('ms');
    expect(schema.columns.map((c) => [c.name, c.type])).toEqual(GUIDE_COLUMNS.map((c) => [c.name, c.type]));
    expect(schema.tags).toEqual([
      { name: 'location', type: 'VARCHAR', length: 64, primary: true, nullable: false },
      { name: 'temperature', type: 'FLOAT4', length: 32, primary: false, nullable: true },
    ]);
  });

  it('is idempotent under replay; a repeated key overrides the columns the later row gives, keeps the others', async () => {
    const table = 'replay_t';
    const first = makeBatch(table, GUIDE_COLUMNS, GUIDE_TAGS, guideRows);
    await client.write(first);
    await client.write(first);
    await client.write([first, first]);
    const count = await raw.query(`SELECT count(*)::int AS n FROM replay_t`);
    expect(count.rows[0].n).toBe(2);

    const changed: Row = { ...guideRows[0]!, c1: 99, c5: null };
    delete changed['temperature'];
    await client.write(makeBatch(table, GUIDE_COLUMNS, GUIDE_TAGS, [changed]));
    const row = await raw.query(`SELECT c1, c5, c6, temperature FROM replay_t ORDER BY ts LIMIT 1`);
    // c5 given as NULL: NULL. temperature not given: kept (a missing key means "not given", model.ts).
    expect(row.rows[0]).toEqual({ c1: 99, c5: null, c6: true, temperature: 35.5 });
  });

  it('keeps the last of several rows with one key inside one call', async () => {
    const rows: Row[] = [1, 2, 3, 4, 5].map((c1) => ({ ...guideRows[0]!, c1 }));
    const result = await client.write(makeBatch('dup_in_call', GUIDE_COLUMNS, GUIDE_TAGS, rows));
    expect(result.rejected).toEqual([]);
    const r = await raw.query(`SELECT c1 FROM dup_in_call`);
    expect(r.rows).toEqual([{ c1: 5 }]);
  });

  it('a row the server refuses (a CHECK added by hand) is rejected alone: the refused COPY falls back to the upsert', async () => {
    const table = 'checked_t';
    await client.write(makeBatch(table, GUIDE_COLUMNS, GUIDE_TAGS, guideRows.slice(0, 1)));
    await raw.query(`ALTER TABLE ${table} ADD CONSTRAINT c1_positive CHECK (c1 > 0)`);
    const rows: Row[] = [0, 1, 2].map((i) => ({
      ...guideRows[0]!,
      ts: (1_700_000_000_000n + BigInt(i)) * 1_000_000n,
      c1: i === 1 ? -5 : 7,
    }));
    const result = await client.write(makeBatch(table, GUIDE_COLUMNS, GUIDE_TAGS, rows));
    expect(result.rowsWritten).toBe(2);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]).toMatchObject({ batch: 0, row: 1, error: { retriable: false } });
    expect(result.rejected[0]!.error.message).toMatch(/c1_positive.*SQLSTATE 23514/);
    const stored = await raw.query(
      `SELECT c1 FROM ${table} WHERE ts >= to_timestamp(1700000000) ORDER BY ts`,
    );
    expect(stored.rows).toEqual([{ c1: 7 }, { c1: 7 }]);
  });

  it('a COPY the server refuses before reading its data (table dropped behind the client) leaves the session usable', async () => {
    // One pooled session, so the write after the refusal runs on the session that got the data
    // of the refused COPY after the refusal (the server ignores it).
    const single = await connectTo(db.url, { poolSize: 1 });
    try {
      const table = 'dropped_t';
      await single.write(makeBatch(table, GUIDE_COLUMNS, GUIDE_TAGS, guideRows.slice(0, 1)));
      await raw.query(`DROP TABLE ${table}`);
      const refused = await single.write(makeBatch(table, GUIDE_COLUMNS, GUIDE_TAGS, guideRows.slice(1)));
      expect(refused.rowsWritten).toBe(0);
      expect(refused.rejected[0]?.error).toMatchObject({ code: 'TABLE_NOT_FOUND', retriable: false });
      // The client forgot the table: the next write creates it again and lands.
      const again = await single.write(makeBatch(table, GUIDE_COLUMNS, GUIDE_TAGS, guideRows));
      expect(again).toEqual({ rowsWritten: 2, rejected: [] });
      const stored = await raw.query(`SELECT count(*)::int AS n FROM ${table}`);
      expect(stored.rows[0].n).toBe(2);
    } finally {
      await single.close();
    }
  });

  it('splits writes into statements of at most batch.size rows and counts every row landed', async () => {
    const rows: Row[] = Array.from({ length: 10 }, (_, i) => ({
      ts: (1_700_000_000_000n + BigInt(i)) * 1_000_000n,
      c1: i,
      location: `loc${i % 2}`,
    }));
    const batch = makeBatch('chunked', GUIDE_COLUMNS, GUIDE_TAGS, rows);
    const result = await client.write(batch);
    expect(result).toEqual({ rowsWritten: 10, rejected: [] });
    expect(client.batchSize).toBe(3);
    const r = await raw.query(`SELECT count(*)::int AS n FROM chunked`);
    expect(r.rows[0].n).toBe(10);
  });

  it('reports a missing table for a format that cannot create tables, per record', async () => {
    const batch: Batch = {
      ...makeBatch('no_such_table', GUIDE_COLUMNS, GUIDE_TAGS, guideRows),
      canCreateTable: false,
    };
    const result = await client.write(batch);
    expect(result.rowsWritten).toBe(0);
    expect(result.rejected.map((r) => [r.batch, r.row, r.error.code])).toEqual([
      [0, 0, 'TABLE_NOT_FOUND'],
      [0, 1, 'TABLE_NOT_FOUND'],
    ]);
    expect(result.rejected[0]!.error).toBeInstanceOf(TableNotFoundError);
    await expect(client.ensureTable(batch)).rejects.toMatchObject({
      code: 'TABLE_NOT_FOUND',
      retriable: false,
    });
  });

  it.each([
    {
      name: 'unknown column',
      columns: [...GUIDE_COLUMNS, { name: 'extra', type: 'INT4' as const }],
      tags: GUIDE_TAGS,
      expected: { column: 'extra', expected: 'a column or tag of the table', found: 'unknown column' },
    },
    {
      name: 'incompatible type',
      columns: GUIDE_COLUMNS.map((c) =>
        c.name === 'c2' ? { name: 'c2', type: 'VARCHAR' as const, length: 10 } : c,
      ),
      tags: GUIDE_TAGS,
      expected: { column: 'c2', expected: 'INT4', found: 'VARCHAR(10)' },
    },
    {
      name: 'missing primary tag',
      columns: GUIDE_COLUMNS,
      tags: GUIDE_TAGS.filter((t) => !t.primary),
      expected: { column: 'location', expected: 'primary tag VARCHAR(64)', found: 'missing primary tag' },
    },
  ])('refuses a batch that does not fit the existing table: $name', async ({ columns, tags, expected }) => {
    await client.write(makeBatch('shape_t', GUIDE_COLUMNS, GUIDE_TAGS, guideRows));
    const rows = guideRows.map((r) => (expected.column === 'extra' ? { ...r, extra: 1 } : r));
    const result = await client.write(makeBatch('shape_t', columns, tags, rows));
    expect(result.rowsWritten).toBe(0);
    expect(result.rejected).toHaveLength(2);
    const error = result.rejected[0]!.error;
    expect(error).toBeInstanceOf(SchemaMismatchError);
    expect(error).toMatchObject({ table: 'shape_t', ...expected, retriable: false });
    expect(error.message).toContain(`"${expected.column}"`);
  });

  it('creates one table safely when several clients race to create it', async () => {
    const clients = await Promise.all(Array.from({ length: 5 }, () => connectTo(db.url)));
    try {
      const results = await Promise.all(
        clients.map((c, i) =>
          c.write(makeBatch('raced', GUIDE_COLUMNS, GUIDE_TAGS, [{ ...guideRows[0]!, location: `w${i}` }])),
        ),
      );
      expect(results.map((r) => r.rejected)).toEqual([[], [], [], [], []]);
      const r = await raw.query(`SELECT count(*)::int AS n FROM raced`);
      expect(r.rows[0].n).toBe(5);
      const meta = await raw.query(
        `SELECT count(*)::int AS n FROM kwdb_connect_tables WHERE table_name = 'raced'`,
      );
      expect(meta.rows[0].n).toBe(1);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });

  it('lists the tables it created', async () => {
    const tables = await client.listTables();
    expect(tables).toEqual(expect.arrayContaining(['ts_json_kaiwudb_tb', 'replay_t', 'chunked', 'raced']));
    expect(tables).not.toContain('kwdb_connect_tables');
  });

  it('classifies errors: a table definition KWDB would refuse is permanent', async () => {
    const batch = makeBatch(
      'bad_def',
      GUIDE_COLUMNS,
      [{ ...GUIDE_TAGS[0]!, type: 'FLOAT8', length: 64 }],
      guideRows,
    );
    const result = await client.write(batch);
    expect(result.rejected[0]!.error).toBeInstanceOf(KwdbClientError);
    expect(result.rejected[0]!.error).toMatchObject({ code: 'TABLE_DEFINITION_INVALID', retriable: false });
  });

  it('writes line_influxdb values into an existing table, typed by the real columns (formats coerceValue)', async () => {
    await client.write(makeBatch('influx_t', GUIDE_COLUMNS, GUIDE_TAGS, guideRows));
    const w = (form: 'int2' | 'int8' | 'number' | 'bool' | 'bare', text: string) => ({
      kind: 'written' as const,
      form,
      text,
    });
    const batch: Batch = {
      table: 'influx_t',
      columns: [
        { name: 'ts', type: 'TIMESTAMPTZ' },
        { name: 'c1', type: 'INT2', inferred: true },
        { name: 'c3', type: 'INT8', inferred: true },
        { name: 'c5', type: 'FLOAT8', inferred: true },
        { name: 'c6', type: 'BOOL', inferred: true },
      ],
      tags: [{ name: 'location', type: 'VARCHAR', primary: false, nullable: true, inferred: true }],
      rows: [
        {
          ts: 1648432611249000000n,
          c1: w('int2', '11'),
          c3: w('int8', '9223372036854775807'),
          c5: w('number', '0.16'),
          c6: w('bool', 'true'),
          location: w('bare', 'tag_value'),
        },
        { ts: 1648432611250000000n, c1: w('int2', '40000'), location: w('bare', 'tag_value') },
      ],
      precision: 'ms',
      canCreateTable: false,
    };
    const result = await client.write(batch);
    expect(result.rowsWritten).toBe(1);
    expect(result.rejected.map((r) => [r.row, r.error.code])).toEqual([[1, 'VALUE_OUT_OF_RANGE']]);
    const r = await raw.query(
      `SELECT c1, c3::text AS c3, c5, c6, location FROM influx_t WHERE ts = '2022-03-28 01:56:51.249+00'`,
    );
    expect(r.rows).toEqual([
      { c1: 11, c3: '9223372036854775807', c5: 0.16, c6: true, location: 'tag_value' },
    ]);
  });
});
