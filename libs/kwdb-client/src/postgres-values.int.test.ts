// Postgres dialect against the real server: every type's boundary values,
// injection attempts in values and names, NUL and invalid UTF-8 refused per
// record. Values are read back both raw and through readAfter.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ColumnDef, Precision, Row, TagDef, Value } from '@kwdb-connect/formats';
import type pg from 'pg';
import type { KwdbClient } from './client';
import { connectTo, freshDatabase, makeBatch, rawClient } from './test-support';

const COLUMNS: ColumnDef[] = [
  { name: 'ts', type: 'TIMESTAMPTZ' },
  { name: 'i2', type: 'INT2' },
  { name: 'i4', type: 'INT4' },
  { name: 'i8', type: 'INT8' },
  { name: 'f4', type: 'FLOAT4' },
  { name: 'f8', type: 'FLOAT8' },
  { name: 'b', type: 'BOOL' },
  { name: 'ch', type: 'CHAR', length: 5 },
  { name: 'nch', type: 'NCHAR', length: 3 },
  { name: 'vc', type: 'VARCHAR', length: 10 },
  { name: 'nvc', type: 'NVARCHAR', length: 4 },
  { name: 'vb', type: 'VARBYTES', length: 4 },
  { name: 'geo', type: 'GEOMETRY' },
  { name: 'at', type: 'TIMESTAMP' },
  { name: 'txt', type: 'VARCHAR', length: 200 },
];
const TAGS: TagDef[] = [{ name: 'id', type: 'VARCHAR', length: 32, primary: true, nullable: false }];

type WriteWay = 'copy' | 'upsert';
const WAYS: WriteWay[] = ['copy', 'upsert'];

const MS = 1_000_000n;
const msAt = (iso: string): bigint => BigInt(Date.parse(iso)) * MS;
const YEAR0 = msAt('0000-01-01T00:00:00Z');
const YEAR2970 = msAt('2970-01-01T00:00:00Z');
const YEAR2262 = msAt('2262-01-01T00:00:00Z');

describe('postgres dialect: values', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let client: KwdbClient;
  let raw: pg.Client;
  let seq = 0;

  beforeAll(async () => {
    db = await freshDatabase('kwc_values');
    client = await connectTo(db.url);
    raw = await rawClient(db.url);
  });
  afterAll(async () => {
    await raw?.end();
    await client?.close();
    await db?.drop();
  });

  /**
   * Writes one row into a table of `precision`; returns the write result, the row read back and
   * the table. `via`: how the values travel. 'copy' writes a new key (the binary COPY); 'upsert'
   * first writes the row's key alone, so the values meet a key already there: the COPY fails and
   * the upsert writes them (ADR 0002, item 5). Each way has its own tables.
   */
  async function roundTrip(values: Row, precision: Precision = 'ms', via: WriteWay = 'copy') {
    const id = `r${++seq}`;
    const table = `vals_${precision}_${via}`;
    const row: Row = { ts: 1_700_000_000_000n * MS, ...values, id };
    if (via === 'upsert')
      await client.write(makeBatch(table, COLUMNS, TAGS, [{ ts: row['ts'], id }], precision));
    const result = await client.write(makeBatch(table, COLUMNS, TAGS, [row], precision));
    const all = await client.readAfter(table, null, 10_000);
    return { result, back: all.rows.find((r) => r['id'] === id), table };
  }

  // FLOAT4 values read back as the shortest decimal of the stored float4 (as the server prints it).
  const ok: Array<{ name: string; values: Row; precision?: Precision; readBack?: Row }> = [
    { name: 'INT2 min', values: { i2: -32768 } },
    { name: 'INT2 max', values: { i2: 32767 } },
    { name: 'INT4 min', values: { i4: -2147483648 } },
    { name: 'INT4 max', values: { i4: 2147483647 } },
    { name: 'INT8 min', values: { i8: -9223372036854775808n } },
    { name: 'INT8 max', values: { i8: 9223372036854775807n } },
    { name: 'INT8 above 2^53', values: { i8: 647470401348904608n } },
    { name: 'FLOAT4 max', values: { f4: 3.4028234663852886e38 }, readBack: { f4: 3.4028235e38 } },
    { name: 'FLOAT4 guide value', values: { f4: 6.14545 } },
    { name: 'FLOAT8 max', values: { f8: Number.MAX_VALUE } },
    { name: 'FLOAT8 smallest', values: { f8: -Number.MIN_VALUE } },
    { name: 'BOOL false', values: { b: false } },
    { name: 'CHAR 5 bytes', values: { ch: 'abcde' } },
    { name: 'NCHAR 3 characters', values: { nch: '日本語' } },
    { name: 'VARCHAR 10 bytes of non-ASCII', values: { vc: 'ééééé' } },
    { name: 'NVARCHAR 4 astral characters', values: { nvc: '😀😀😀😀' } },
    { name: 'VARBYTES 4 bytes', values: { vb: new Uint8Array([0, 0xff, 0x27, 0x5c]) } },
    { name: 'VARBYTES empty', values: { vb: new Uint8Array([]) } },
    { name: 'GEOMETRY', values: { geo: 'Point(0.0 0.0)' } },
    { name: 'timestamp ms at year 0000', values: { ts: YEAR0, at: YEAR0 } },
    { name: 'timestamp ms at 2970-01-01', values: { ts: YEAR2970, at: YEAR2970 } },
    { name: 'timestamp us exact', values: { ts: 1_700_000_000_123_456_000n }, precision: 'us' },
    { name: 'timestamp us before 1970', values: { ts: -1_000n }, precision: 'us' },
    { name: 'timestamp ns exact', values: { ts: 1_700_000_000_123_456_789n, at: 1n }, precision: 'ns' },
    { name: 'timestamp ns at 1970-01-01', values: { ts: 0n }, precision: 'ns' },
    { name: 'timestamp ns at 2262-01-01', values: { ts: YEAR2262 }, precision: 'ns' },
  ];

  const okEachWay = WAYS.flatMap((via) => ok.map((c) => ({ ...c, via })));
  it.each(okEachWay)(
    'stores and reads back exactly ($via): $name',
    async ({ values, precision, readBack, via }) => {
      const { result, back } = await roundTrip(values, precision, via);
      expect(result.rejected).toEqual([]);
      expect(result.rowsWritten).toBe(1);
      for (const [key, value] of Object.entries(readBack ?? values)) expect(back?.[key]).toEqual(value);
    },
  );

  const refused: Array<{ name: string; values: Row; code: string; column: string; precision?: Precision }> = [
    { name: 'INT2 above max', values: { i2: 32768 }, code: 'VALUE_OUT_OF_RANGE', column: 'i2' },
    { name: 'INT4 below min', values: { i4: -2147483649 }, code: 'VALUE_OUT_OF_RANGE', column: 'i4' },
    {
      name: 'INT8 above max',
      values: { i8: 9223372036854775808n },
      code: 'VALUE_OUT_OF_RANGE',
      column: 'i8',
    },
    { name: 'INT4 not an integer', values: { i4: 1.5 }, code: 'VALUE_INVALID', column: 'i4' },
    { name: 'FLOAT4 above max', values: { f4: 3.5e38 }, code: 'VALUE_OUT_OF_RANGE', column: 'f4' },
    { name: 'FLOAT8 infinite', values: { f8: Infinity }, code: 'VALUE_OUT_OF_RANGE', column: 'f8' },
    { name: 'CHAR 6 bytes', values: { ch: 'ééé' }, code: 'VALUE_TOO_LONG', column: 'ch' },
    { name: 'NCHAR 4 characters', values: { nch: 'abcd' }, code: 'VALUE_TOO_LONG', column: 'nch' },
    { name: 'VARCHAR 11 bytes', values: { vc: 'abcdefghijk' }, code: 'VALUE_TOO_LONG', column: 'vc' },
    { name: 'NVARCHAR 5 characters', values: { nvc: '😀😀😀😀😀' }, code: 'VALUE_TOO_LONG', column: 'nvc' },
    { name: 'VARBYTES 5 bytes', values: { vb: new Uint8Array(5) }, code: 'VALUE_TOO_LONG', column: 'vb' },
    { name: 'NUL in text', values: { txt: 'a\u0000b' }, code: 'TEXT_INVALID', column: 'txt' },
    {
      name: 'invalid UTF-8 (lone surrogate)',
      values: { txt: 'a\ud800b' },
      code: 'TEXT_INVALID',
      column: 'txt',
    },
    {
      name: 'timestamp before year 0000',
      values: { ts: YEAR0 - MS },
      code: 'VALUE_OUT_OF_RANGE',
      column: 'ts',
    },
    { name: 'timestamp after 2970', values: { ts: YEAR2970 + MS }, code: 'VALUE_OUT_OF_RANGE', column: 'ts' },
    {
      name: 'timestamp finer than ms',
      values: { ts: 1_700_000_000_000_000_001n },
      code: 'VALUE_OUT_OF_RANGE',
      column: 'ts',
    },
    {
      name: 'ns timestamp before 1970',
      values: { ts: -1n },
      code: 'VALUE_OUT_OF_RANGE',
      column: 'ts',
      precision: 'ns',
    },
    {
      name: 'ns timestamp after 2262-01-01',
      values: { ts: YEAR2262 + 1n },
      code: 'VALUE_OUT_OF_RANGE',
      column: 'ts',
      precision: 'ns',
    },
    { name: 'NULL primary tag', values: { id: null }, code: 'NULL_NOT_ALLOWED', column: 'id' },
    { name: 'wrong JS type', values: { b: 'true' }, code: 'VALUE_INVALID', column: 'b' },
  ];

  it.each(refused)(
    'refuses the record, never alters it: $name',
    async ({ values, code, column, precision }) => {
      const table = `refused_${precision ?? 'ms'}`;
      const good: Row = { ts: 1_700_000_000_000n * MS, id: 'good' };
      const bad: Row = { ts: 1_700_000_000_000n * MS, id: 'bad', ...values };
      const result = await client.write(makeBatch(table, COLUMNS, TAGS, [good, bad], precision ?? 'ms'));
      expect(result.rowsWritten).toBe(1);
      expect(result.rejected).toHaveLength(1);
      expect(result.rejected[0]).toMatchObject({
        batch: 0,
        row: 1,
        error: { code, column, retriable: false },
      });
      const stored = await raw.query(`SELECT id FROM "${table}" ORDER BY id`);
      expect(stored.rows.map((r) => r.id)).toEqual(['good']);
    },
  );

  const hostile: Array<{ name: string; text: string }> = [
    { name: 'single quotes', text: "it's 'quoted''" },
    { name: 'double quotes', text: 'say "hi" ""' },
    { name: 'backslashes', text: 'C:\\temp\\new \\x41 \\\\' },
    { name: 'newlines and tabs', text: 'line1\nline2\r\n\tend' },
    { name: 'non-ASCII', text: 'Grüße, 北京, עברית, 😀' },
    { name: 'SQL injection', text: "'; DROP TABLE x; --" },
    { name: 'dollar quoting', text: '$$; DROP TABLE x; $$' },
    { name: 'array literal syntax', text: '{a,"b",NULL}' },
    { name: 'the word NULL', text: 'NULL' },
    { name: 'empty string', text: '' },
  ];

  const hostileEachWay = WAYS.flatMap((via) => hostile.map((c) => ({ ...c, via })));
  it.each(hostileEachWay)(
    'stores hostile text exactly and never executes it ($via): $name',
    async ({ text, via }) => {
      await raw.query('CREATE TABLE IF NOT EXISTS x (a int)');
      const { result, back, table } = await roundTrip({ txt: text }, 'ms', via);
      expect(result.rejected).toEqual([]);
      expect(back?.['txt']).toBe(text);
      const x = await raw.query(`SELECT to_regclass('x') IS NOT NULL AS present`);
      expect(x.rows[0].present).toBe(true);
      const stored = await raw.query(`SELECT txt FROM "${table}" WHERE txt = $1`, [text]);
      expect(stored.rows).toEqual([{ txt: text }]);
    },
  );

  it.each([
    { name: 'quote and injection in a table name', table: "it's; DROP TABLE x; --" },
    { name: 'spaces and dots in a table name', table: 'my table.v1' },
    { name: 'mixed case kept', table: 'MixedCase' },
  ])('quotes names from messages: $name', async ({ table }) => {
    const columns: ColumnDef[] = [COLUMNS[0]!, { name: "c'; DROP TABLE x; --", type: 'INT4' }];
    const result = await client.write(
      makeBatch(table, columns, TAGS, [{ ts: 0n, "c'; DROP TABLE x; --": 7, id: 'a' }]),
    );
    expect(result).toEqual({ rowsWritten: 1, rejected: [] });
    expect(await client.listTables()).toContain(table);
    const back = await client.readAfter(table, null, 10);
    expect(back.rows).toEqual([{ ts: 0n, "c'; DROP TABLE x; --": 7, id: 'a' }]);
    const x = await raw.query(`SELECT to_regclass('x') IS NOT NULL AS present`);
    expect(x.rows[0].present).toBe(true);
  });

  it.each([
    { name: 'double quote', table: 'a"; DROP TABLE x; --' },
    { name: 'NUL', table: 'a\u0000b' },
    { name: 'Chinese characters', table: '表' },
    { name: 'longer than 63 bytes on postgres', table: 'a'.repeat(64) },
    { name: 'empty', table: '' },
  ])('refuses invalid table names per record: $name', async ({ table }) => {
    const result = await client.write(makeBatch(table, COLUMNS.slice(0, 2), TAGS, [{ ts: 0n, id: 'a' }]));
    expect(result.rowsWritten).toBe(0);
    expect(result.rejected[0]?.error).toMatchObject({ code: 'IDENTIFIER_INVALID', retriable: false });
  });

  it('reads a null in every column back as null', async () => {
    const { back } = await roundTrip({});
    const nulls: Record<string, Value> = {};
    for (const c of COLUMNS.slice(1)) nulls[c.name] = null;
    expect(back).toMatchObject(nulls);
  });
});
