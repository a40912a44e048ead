import { describe, expect, it } from '@jest/globals';
import type { TableSchema } from '../../types';
import {
  addColumnsSql,
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

  it('builds parameters exactly: microsecond timestamps, hex bytes, NULLs', () => {
    const params = unnestParams(schema, [
      [1_700_000_000_123_456_000n, 0.5, new Uint8Array([0xde, 0xad]), 'h"1', null],
    ]);
    expect(params).toEqual([
      '{"2023-11-14 22:13:20.123456+00:00"}',
      '{0.5}',
      '{"\\\\xdead"}',
      '{"h\\"1"}',
      '{NULL}',
    ]);
    expect(toPgText(5n, 'TIMESTAMPTZ', 'ns')).toBe('5');
    expect(toPgText(false, 'BOOL', 'ms')).toBe('f');
  });

  // unnestParams joins a column's texts when none is NULL or needs escaping: the same text as
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
      name: 'a NULL in a quoted column',
      rows: [
        [1_000n, 1, null, 'a', null],
        [2_000n, 2, null, 'b', 'y'],
      ],
    },
    {
      name: 'a NULL in a bare column',
      rows: [
        [1_000n, null, null, 'a', 'x'],
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
  ])("parameters of $name: pgArrayLiteral of each column's texts", ({ rows }) => {
    const columns = [...schema.columns, ...schema.tags];
    const expected = columns.map((c, i) =>
      pgArrayLiteral(
        rows.map((row) => toPgText(row[i], c.type, schema.precision)),
        !['INT2', 'INT4', 'INT8', 'FLOAT4', 'FLOAT8', 'BOOL'].includes(c.type),
      ),
    );
    expect(unnestParams(schema, rows)).toEqual(expected);
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
    expect(unnestParams(schema, [[1_000n, 0.25, undefined, 'h', undefined]], [0, 1, 3])).toEqual([
      '{"1970-01-01 00:00:00.000001+00:00"}',
      '{0.25}',
      '{"h"}',
    ]);
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
