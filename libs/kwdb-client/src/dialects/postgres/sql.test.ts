import { describe, expect, it } from '@jest/globals';
import type { PreparedRow, TableSchema } from '../../types';
import {
  addColumnsSql,
  binaryElementOf,
  copyFromSql,
  pgBinaryArray,
  pgCopyBinary,
  addToDefinition,
  createTableSql,
  groupByGiven,
  pgArrayLiteral,
  readAfterSql,
  toPgText,
  unnestInsertSql,
  unnestParams,
} from './sql';

const schema: TableSchema = {
  name: 'Cpu',
  precision: 'us',
  columns: [
    { name: 'ts', type: 'TIMESTAMPTZ', nullable: false },
    { name: 'v', type: 'FLOAT8', nullable: true },
    { name: 'raw', type: 'VARBYTES', length: 4, nullable: true },
  ],
  tags: [
    { name: 'host', type: 'VARCHAR', length: 64, nullable: false, primary: true },
    { name: 'region', type: 'VARCHAR', length: 64, nullable: true, primary: false },
  ],
};

/** Reads a one-dimensional binary array (PostgreSQL's array_recv format) back into its parts. */
function readBinaryArray(buffer: Buffer): { oid: number; hasNull: boolean; elements: Array<Buffer | null> } {
  const ndim = buffer.readInt32BE(0);
  const hasNull = buffer.readInt32BE(4) === 1;
  const oid = buffer.readInt32BE(8);
  if (ndim === 0) return { oid, hasNull, elements: [] };
  expect(ndim).toBe(1);
  expect(buffer.readInt32BE(16)).toBe(1); // lower bound
  const elements: Array<Buffer | null> = [];
  let at = 20;
  for (let i = 0; i < buffer.readInt32BE(12); i++) {
    const length = buffer.readInt32BE(at);
    at += 4;
    elements.push(length === -1 ? null : buffer.subarray(at, at + length));
    if (length > 0) at += length;
  }
  expect(at).toBe(buffer.length);
  return { oid, hasNull, elements };
}

/** Reads a binary COPY stream back: the header checked, then per row its fields (null for -1). */
function readCopyBinary(buffer: Buffer): Array<Array<Buffer | null>> {
  expect(buffer.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
  expect(buffer.readInt32BE(11)).toBe(0); // flags
  expect(buffer.readInt32BE(15)).toBe(0); // header extension
  const rows: Array<Array<Buffer | null>> = [];
  let at = 19;
  for (let count = buffer.readInt16BE(at); count !== -1; count = buffer.readInt16BE(at)) {
    at += 2;
    const fields: Array<Buffer | null> = [];
    for (let f = 0; f < count; f++) {
      const length = buffer.readInt32BE(at);
      at += 4;
      fields.push(length === -1 ? null : buffer.subarray(at, at + length));
      if (length > 0) at += length;
    }
    rows.push(fields);
  }
  expect(at + 2).toBe(buffer.length); // the trailer is the last thing
  return rows;
}

/** 2000-01-01 in epoch microseconds: PostgreSQL's binary timestamps count from there. */
const PG_EPOCH_US = 946_684_800_000_000n;

describe('postgres dialect SQL', () => {
  it('creates one table with columns, tags and primary key (timestamp, primary tags)', () => {
    expect(createTableSql(schema)).toBe(
      'CREATE TABLE IF NOT EXISTS "Cpu" ("ts" timestamptz(6) NOT NULL, "v" float8, "raw" bytea, "host" text NOT NULL, ' +
        '"region" text, PRIMARY KEY ("ts", "host"))',
    );
    expect(createTableSql({ ...schema, precision: 'ns' })).toContain('"ts" int8 NOT NULL');
  });

  it('writes with unnest of one array per column and overrides the whole row on conflict', () => {
    expect(unnestInsertSql(schema)).toBe(
      'INSERT INTO "Cpu" ("ts", "v", "raw", "host", "region") SELECT * FROM unnest($1::timestamptz[], $2::float8[], ' +
        '$3::bytea[], $4::text[], $5::text[]) ON CONFLICT ("ts", "host") DO UPDATE SET "v" = EXCLUDED."v", ' +
        '"raw" = EXCLUDED."raw", "region" = EXCLUDED."region"',
    );
  });

  it.each([
    { name: 'numbers bare', values: ['1', null, '-2.5e+21'], quote: false, literal: '{1,NULL,-2.5e+21}' },
    { name: 'text quoted', values: ['a', 'NULL', null, ''], quote: true, literal: '{"a","NULL",NULL,""}' },
    {
      name: 'quotes and backslashes escaped',
      values: ['say "hi"', 'C:\\x', '{a,b}'],
      quote: true,
      literal: '{"say \\"hi\\"","C:\\\\x","{a,b}"}',
    },
  ])('array literal: $name', ({ values, quote, literal }) => {
    expect(pgArrayLiteral(values, quote)).toBe(literal);
  });

  it('builds parameters exactly: binary timestamps and numbers, hex bytes, escaped text, NULLs', () => {
    const params = unnestParams(schema, [
      [1_700_000_000_123_456_000n, 0.5, new Uint8Array([0xde, 0xad]), 'h"1', null],
    ]);
    expect(params.slice(2)).toEqual(['{"\\\\xdead"}', '{"h\\"1"}', '{NULL}']);
    const ts = readBinaryArray(params[0] as Buffer);
    expect(ts).toMatchObject({ oid: 1184, hasNull: false });
    expect(ts.elements[0]!.readBigInt64BE()).toBe(1_700_000_000_123_456n - PG_EPOCH_US);
    const v = readBinaryArray(params[1] as Buffer);
    expect(v).toMatchObject({ oid: 701, hasNull: false });
    expect(v.elements[0]!.readDoubleBE()).toBe(0.5);
    expect(toPgText(5n, 'TIMESTAMPTZ', 'ns')).toBe('5');
    expect(toPgText(false, 'BOOL', 'ms')).toBe('f');
  });

  // One element of each binary type, as PostgreSQL's *_recv reads it (big-endian); the server side
  // of the same values is postgres-values.int.test.ts.
  it.each([
    { name: 'INT2 min', type: 'INT2', value: -32768, oid: 21, read: (b: Buffer) => b.readInt16BE() },
    { name: 'INT4 max', type: 'INT4', value: 2147483647, oid: 23, read: (b: Buffer) => b.readInt32BE() },
    {
      name: 'INT8 beyond 2^53',
      type: 'INT8',
      value: 2_535_208_944_865_431_245n,
      oid: 20,
      read: (b: Buffer) => b.readBigInt64BE(),
    },
    { name: 'INT8 min', type: 'INT8', value: -(2n ** 63n), oid: 20, read: (b: Buffer) => b.readBigInt64BE() },
    {
      name: 'FLOAT4 rounds to float4',
      type: 'FLOAT4',
      value: 6.14545,
      oid: 700,
      read: (b: Buffer) => b.readFloatBE(),
      stored: Math.fround(6.14545),
    },
    { name: 'FLOAT8 keeps -0', type: 'FLOAT8', value: -0, oid: 701, read: (b: Buffer) => b.readDoubleBE() },
    {
      name: 'FLOAT8 smallest subnormal',
      type: 'FLOAT8',
      value: 5e-324,
      oid: 701,
      read: (b: Buffer) => b.readDoubleBE(),
    },
    { name: 'BOOL true', type: 'BOOL', value: true, oid: 16, read: (b: Buffer) => b.readUInt8() === 1 },
    { name: 'BOOL false', type: 'BOOL', value: false, oid: 16, read: (b: Buffer) => b.readUInt8() === 1 },
    {
      name: 'TIMESTAMPTZ before 2000 (us table)',
      type: 'TIMESTAMPTZ',
      value: 1_000n,
      oid: 1184,
      read: (b: Buffer) => b.readBigInt64BE(),
      stored: 1n - PG_EPOCH_US,
    },
    {
      name: 'TIMESTAMPTZ before 1970 (us table)',
      type: 'TIMESTAMPTZ',
      value: -62_135_596_800_000_000_000n,
      oid: 1184,
      read: (b: Buffer) => b.readBigInt64BE(),
      stored: -62_135_596_800_000_000n - PG_EPOCH_US,
    },
    {
      name: 'TIMESTAMP in an ns table: int8 epoch ns',
      type: 'TIMESTAMP',
      precision: 'ns',
      value: 1_700_000_000_123_456_789n,
      oid: 20,
      read: (b: Buffer) => b.readBigInt64BE(),
    },
  ] as const)('binary element: $name', (c) => {
    const precision: TableSchema['precision'] = ('precision' in c ? c.precision : undefined) ?? 'us';
    const element = binaryElementOf(c.type, precision)!;
    const array = readBinaryArray(pgBinaryArray(element, [[c.value]], 0));
    expect(array).toMatchObject({ oid: c.oid, hasNull: false });
    expect(array.elements[0]).toHaveLength(element.width);
    expect(c.read(array.elements[0]!)).toBe('stored' in c ? c.stored : c.value);
  });

  it.each([
    { name: 'text', type: 'VARCHAR' },
    { name: 'bytes', type: 'VARBYTES' },
    { name: 'geometry', type: 'GEOMETRY' },
  ] as const)('no binary element for $name (sent as an array literal)', ({ type }) => {
    expect(binaryElementOf(type, 'ms')).toBeUndefined();
  });

  it.each<{
    name: string;
    rows: PreparedRow[];
    oids: number[];
    elements: Array<Array<bigint | number | null>>;
  }>([
    { name: 'no rows', rows: [], oids: [1184, 701], elements: [[], []] },
    {
      name: 'NULL and not given are NULL elements, flagged',
      rows: [
        [1_000n, null],
        [2_000n, undefined],
        [3_000n, 2.5],
      ],
      oids: [1184, 701],
      elements: [[1n, 2n, 3n].map((us) => us - PG_EPOCH_US), [null, null, 2.5]],
    },
  ])('binary arrays: $name', ({ rows, oids, elements }) => {
    const decode = [(b: Buffer) => b.readBigInt64BE(), (b: Buffer) => b.readDoubleBE()];
    const two: TableSchema = { ...schema, columns: schema.columns.slice(0, 2), tags: [] };
    const params = unnestParams(two, rows);
    params.forEach((param, i) => {
      const array = readBinaryArray(param as Buffer);
      expect(array.oid).toBe(oids[i]);
      expect(array.hasNull).toBe(elements[i]!.includes(null));
      expect(array.elements.map((e) => (e === null ? null : decode[i]!(e)))).toEqual(elements[i]);
    });
  });

  it('copies the given columns, quoted, in binary format', () => {
    expect(copyFromSql(schema)).toBe(
      'COPY "Cpu" ("ts", "v", "raw", "host", "region") FROM STDIN (FORMAT binary)',
    );
    expect(copyFromSql(schema, [0, 3, 1])).toBe('COPY "Cpu" ("ts", "host", "v") FROM STDIN (FORMAT binary)');
  });

  // The real server's reading of the same streams is postgres-values.int.test.ts (its COPY cases).
  it.each<{ name: string; rows: PreparedRow[]; given?: number[]; fields: Array<Array<string | null>> }>([
    { name: 'no rows: header and trailer only', rows: [], fields: [] },
    {
      name: 'every kind of field: timestamp, float, bytes, text',
      rows: [[1_000n, 2.5, new Uint8Array([0, 0xff]), 'h1', 'eu']],
      fields: [[(1n - PG_EPOCH_US).toString(16), '2.5', '00ff', 'h1', 'eu']],
    },
    {
      name: 'NULL and not given are both -1',
      rows: [[1_000n, null, undefined, 'h1', null]],
      fields: [[(1n - PG_EPOCH_US).toString(16), null, null, 'h1', null]],
    },
    {
      name: 'text as UTF-8 bytes, with quotes, backslashes, braces and multi-byte characters',
      rows: [[1_000n, 0, new Uint8Array([]), 'a"b\\c{d}', '北京 😀']],
      fields: [[(1n - PG_EPOCH_US).toString(16), '0', '', 'a"b\\c{d}', '北京 😀']],
    },
    {
      name: 'only the given columns, in the given order',
      rows: [[1_000n, 1.5, undefined, 'h1', undefined]],
      given: [0, 3, 1],
      fields: [[(1n - PG_EPOCH_US).toString(16), 'h1', '1.5']],
    },
  ])('binary COPY stream: $name', ({ rows, given, fields }) => {
    const all = [...schema.columns, ...schema.tags];
    const decode = (column: number, b: Buffer): string => {
      const type = all[column]!.type;
      if (type === 'TIMESTAMPTZ') return b.readBigInt64BE().toString(16);
      if (type === 'FLOAT8') return String(b.readDoubleBE());
      if (type === 'VARBYTES') return b.toString('hex');
      return b.toString('utf8');
    };
    const indexes = given ?? all.map((_, i) => i);
    const back = readCopyBinary(pgCopyBinary(schema, rows, given));
    expect(back.map((row) => row.map((b, f) => (b === null ? null : decode(indexes[f]!, b))))).toEqual(
      fields,
    );
  });

  // unnestParams joins a text column's texts when none is NULL or needs escaping: the same text as
  // pgArrayLiteral over toPgText, element by element, whichever way a column goes.
  it.each([
    { name: 'no rows', rows: [] },
    {
      name: 'plain rows',
      rows: [
        [1_000n, 1.5, null, 'a', 'x'],
        [2_000n, -0, null, 'b', 'y'],
      ],
    },
    {
      name: 'a NULL in a text column',
      rows: [
        [1_000n, 1, null, 'a', null],
        [2_000n, 2, null, 'b', 'y'],
      ],
    },
    {
      name: 'escapes in one element',
      rows: [
        [1_000n, 1, null, 'a"b', 'x'],
        [2_000n, 2, null, 'c\\d', 'y'],
      ],
    },
    { name: 'bytes', rows: [[1_000n, 1, new Uint8Array([0xde, 0xad]), 'a', 'x']] },
  ])("text parameters of $name: pgArrayLiteral of each column's texts", ({ rows }) => {
    const columns = [...schema.columns, ...schema.tags];
    const params = unnestParams(schema, rows);
    columns.forEach((c, i) => {
      if (binaryElementOf(c.type, schema.precision) !== undefined)
        return expect(params[i]).toBeInstanceOf(Buffer);
      const texts = rows.map((row) => toPgText(row[i], c.type, schema.precision));
      return expect(params[i]).toBe(pgArrayLiteral(texts, true));
    });
  });

  it('groups rows by the columns they give (undefined: not given); rows giving all form one group', () => {
    const full = [1000n, 1, null, 'a', null];
    expect(groupByGiven(schema, [full, full])).toEqual([{ given: [0, 1, 2, 3, 4], rows: [full, full] }]);
    const onlyV = [2000n, 2, undefined, 'a', undefined];
    const onlyRaw = [2000n, undefined, new Uint8Array([1]), 'b', undefined];
    expect(groupByGiven(schema, [onlyV, full, onlyRaw, onlyV])).toEqual([
      { given: [0, 1, 3], rows: [onlyV, onlyV] },
      { given: [0, 1, 2, 3, 4], rows: [full] },
      { given: [0, 2, 3], rows: [onlyRaw] },
    ]);
    expect(groupByGiven(schema, [])).toEqual([]);
  });

  it('updates only the given columns on conflict, so a row never erases a column it does not give', () => {
    expect(unnestInsertSql(schema, [0, 1, 3])).toBe(
      'INSERT INTO "Cpu" ("ts", "v", "host") SELECT * FROM unnest($1::timestamptz[], $2::float8[], $3::text[]) ' +
        'ON CONFLICT ("ts", "host") DO UPDATE SET "v" = EXCLUDED."v"',
    );
    expect(unnestInsertSql(schema, [0, 3])).toBe(
      'INSERT INTO "Cpu" ("ts", "host") SELECT * FROM unnest($1::timestamptz[], $2::text[]) ' +
        'ON CONFLICT ("ts", "host") DO UPDATE SET "ts" = EXCLUDED."ts"',
    );
    expect(unnestInsertSql(schema, [0, 1, 2, 3, 4])).toBe(unnestInsertSql(schema));
    const params = unnestParams(schema, [[1_000n, 0.25, undefined, 'h', undefined]], [0, 1, 3]);
    expect(params).toHaveLength(3);
    expect(readBinaryArray(params[0] as Buffer).elements[0]!.readBigInt64BE()).toBe(1n - PG_EPOCH_US);
    expect(readBinaryArray(params[1] as Buffer).elements[0]!.readDoubleBE()).toBe(0.25);
    expect(params[2]).toBe('{"h"}');
  });

  it('adds columns and tags as nullable columns, IF NOT EXISTS', () => {
    expect(
      addColumnsSql(schema, {
        columns: [{ name: 'c2', type: 'VARCHAR', length: 254, nullable: true }],
        tags: [{ name: 'dc', type: 'VARCHAR', length: 254, nullable: true, primary: false }],
      }),
    ).toEqual([
      'ALTER TABLE "Cpu" ADD COLUMN IF NOT EXISTS "c2" text',
      'ALTER TABLE "Cpu" ADD COLUMN IF NOT EXISTS "dc" text',
    ]);
  });

  it('records added columns and tags in the definition once', () => {
    const recorded = {
      precision: 'ms' as const,
      columns: [
        { name: 'timestamp', type: 'TIMESTAMPTZ' as const },
        { name: 'c1', type: 'VARCHAR' as const, length: 254 },
      ],
      tags: [{ name: 'tag1', type: 'VARCHAR' as const, length: 128, primary: true }],
    };
    const additions = {
      columns: [
        { name: 'c1', type: 'VARCHAR' as const, length: 254, nullable: true },
        { name: 'c2', type: 'VARCHAR' as const, length: 254, nullable: true },
      ],
      tags: [{ name: 'tag5', type: 'VARCHAR' as const, length: 254, nullable: true, primary: false }],
    };
    const once = addToDefinition(recorded, additions);
    expect(once).toEqual({
      precision: 'ms',
      columns: [...recorded.columns, { name: 'c2', type: 'VARCHAR', length: 254 }],
      tags: [...recorded.tags, { name: 'tag5', type: 'VARCHAR', length: 254, primary: false }],
    });
    expect(addToDefinition(once, additions)).toEqual(once);
  });

  it('reads after a (timestamp, primary tags) cursor with one tuple comparison', () => {
    expect(readAfterSql(schema, { ts: 1_000n, primaryTags: ['h'] }, 50)).toEqual({
      text:
        'SELECT (extract(epoch from "ts") * 1000000)::int8::text AS "ts", "v", "raw", "host", "region" FROM "Cpu" ' +
        'WHERE ("ts", "host") > ($1::timestamptz, $2::text) ORDER BY "Cpu"."ts", "Cpu"."host" LIMIT $3::int8',
      values: ['1970-01-01 00:00:00.000001+00:00', 'h', '50'],
    });
  });

  it('bounds the timestamp from above (inclusive) with one more parameter', () => {
    expect(readAfterSql(schema, { ts: 1_000n, primaryTags: ['h'] }, 50, 2_000_999n)).toEqual({
      text:
        'SELECT (extract(epoch from "ts") * 1000000)::int8::text AS "ts", "v", "raw", "host", "region" FROM "Cpu" ' +
        'WHERE ("ts", "host") > ($1::timestamptz, $2::text) AND "ts" <= $3::timestamptz ORDER BY "Cpu"."ts", "Cpu"."host" LIMIT $4::int8',
      values: ['1970-01-01 00:00:00.000001+00:00', 'h', '1970-01-01 00:00:00.002000+00:00', '50'],
    });
    expect(readAfterSql({ ...schema, precision: 'ns' }, null, 5, 2_000_999n)).toEqual({
      text: 'SELECT "ts"::text AS "ts", "v", "raw", "host", "region" FROM "Cpu" WHERE "ts" <= $1::int8 ORDER BY "Cpu"."ts", "Cpu"."host" LIMIT $2::int8',
      values: ['2000999', '5'],
    });
  });
});
