import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { batchToJson, decode, FormatError } from '../index';
import type { FormatErrorCode, Precision } from '../index';

const testdata = join(import.meta.dirname, 'testdata');
const read = (name: string) => readFileSync(join(testdata, name), 'utf8');

describe('json_kaiwudb: the guide examples decode as written', () => {
  it.each([
    ['sink test data (kw-json-kaiwudb-data.txt)', 'guide-sink-test-data'],
    ['"KaiwuDB JSON Format" example (two messages)', 'guide-format-example'],
    ['source connector output (isPrimary, tags inline, nulls)', 'guide-source-output'],
  ])('%s', (_name, file) => {
    const messages = read(`${file}.txt`).trimEnd().split('\n');
    const printed = messages.flatMap((message, i) => {
      const result = decode('json_kaiwudb', message, {
        precision: 'ms',
        source: { name: file, line: i + 1 },
      });
      expect(result.errors).toEqual([]);
      return result.batches.map((batch) => batchToJson(batch, 'ms'));
    });
    expect(printed.join('\n') + '\n').toBe(read(`${file}.expected.jsonl`));
  });

  it('keeps the guide c3 values above 2^53 and the INT8 tag digit for digit', () => {
    const { batches } = decode('json_kaiwudb', read('guide-sink-test-data.txt').trim(), { precision: 'ms' });
    expect(batches[0]?.rows.map((row) => row.c3)).toEqual([
      2535208944865431245n,
      6422208944865124578n,
      1542408944865124535n,
      1245658944865439256n,
      5625658944865439256n,
    ]);
    expect(batches[0]?.rows[0]?.ts).toBe(1690855924005_000_000n);
    const source = decode('json_kaiwudb', read('guide-source-output.txt').trim(), { precision: 'ms' });
    expect(source.batches[0]?.rows[0]?.id).toBe(647470401348904608n);
    expect(source.batches[0]?.tags[0]).toEqual({
      name: 'id',
      type: 'INT8',
      length: 64,
      primary: true,
      nullable: false,
    });
    expect(source.batches[0]?.rows[0]?.rack).toBeNull();
  });

  it('reads nanosecond epochs exactly', () => {
    const message = messageWith('{"ts":1648432611249123456,"v":1,"id":"a"}');
    const { batches, errors } = decode('json_kaiwudb', message, { precision: 'ns' });
    expect(errors).toEqual([]);
    expect(batches[0]?.rows[0]?.ts).toBe(1648432611249123456n);
    expect(batches[0]?.precision).toBe('ns');
    expect(batches[0]?.canCreateTable).toBe(true);
    // json_kaiwudb states the whole table: columns it does not have are a mismatch, never added.
    expect(batches[0]?.canAddColumns).toBe(false);
  });

  it('returns the good rows together with every bad row error, located', () => {
    const message = messageWith(
      '{"ts":1,"v":1,"id":"a"},{"ts":2,"v":"x","id":"b"},{"ts":3,"v":3,"id":"c"},{"ts":4,"v":1,"id":"d","zz":1}',
    );
    const { batches, errors } = decode('json_kaiwudb', message, {
      precision: 'ms',
      source: { name: 'in.txt', line: 7 },
    });
    expect(batches[0]?.rows.map((r) => r.id)).toEqual(['a', 'c']);
    expect(errors.map((e) => [e.code, e.path, e.line])).toEqual([
      ['FORMAT_WRONG_TYPE', 'data[1].v', 7],
      ['FORMAT_UNKNOWN_FIELD', 'data[3].zz', 7],
    ]);
    expect(errors[0]?.column).toBe(message.indexOf('"v":"x"') + 1);
    expect(errors[0]?.toString()).toMatch(
      /^in\.txt:7:\d+: FORMAT_WRONG_TYPE: expected an INT2 integer, found "x" \(at data\[1\]\.v\)$/,
    );
    expect(errors[0]).toBeInstanceOf(FormatError);
    expect(errors[0]?.format).toBe('json_kaiwudb');
  });

  it('refuses precision s, which json_kaiwudb does not support', () => {
    expect(() => decode('json_kaiwudb', messageWith('{"ts":1,"id":"a"}'), { precision: 's' })).toThrow(
      expect.objectContaining({ code: 'FORMAT_UNSUPPORTED_PRECISION' }),
    );
  });
});

/** A small valid table with columns ts, v INT2, w INT4, b INT8, x VARBYTES and primary tag id VARCHAR(8); `rows` is the data array's content. */
function messageWith(
  rows: string,
  changes: { columns?: string; tags?: string; extra?: string } = {},
): string {
  const columns =
    changes.columns ??
    '{"name":"ts","type":"TIMESTAMP"},{"name":"v","type":"INT2"},{"name":"w","type":"INT4"},{"name":"b","type":"INT8"},{"name":"x","type":"VARBYTES"}';
  const tags = changes.tags ?? '{"name":"id","type":"VARCHAR","length":8,"primary":true,"nullable":false}';
  return `{"table":"t","columns":[${columns}],"tags":[${tags}],"data":[${rows}]${changes.extra ?? ''}}`;
}

const ROW = '{"ts":1,"v":1,"id":"a"}';

describe('json_kaiwudb: malformed messages', () => {
  const cases: [string, string | Uint8Array, FormatErrorCode, string | undefined, Precision?, object?][] = [
    ['truncated message', messageWith(ROW).slice(0, 60), 'FORMAT_INVALID_JSON', undefined],
    ['not an object', '[1,2]', 'FORMAT_WRONG_TYPE', undefined],
    [
      'a string in an INT2 column',
      messageWith('{"ts":1,"v":"1","id":"a"}'),
      'FORMAT_WRONG_TYPE',
      'data[0].v',
    ],
    [
      'a fraction in an INT8 column',
      messageWith('{"ts":1,"b":1.5,"id":"a"}'),
      'FORMAT_WRONG_TYPE',
      'data[0].b',
    ],
    ['INT2 overflow', messageWith('{"ts":1,"v":32768,"id":"a"}'), 'FORMAT_INT_OVERFLOW', 'data[0].v'],
    ['INT2 underflow', messageWith('{"ts":1,"v":-32769,"id":"a"}'), 'FORMAT_INT_OVERFLOW', 'data[0].v'],
    ['INT4 overflow', messageWith('{"ts":1,"w":2147483648,"id":"a"}'), 'FORMAT_INT_OVERFLOW', 'data[0].w'],
    [
      'INT8 overflow',
      messageWith('{"ts":1,"b":9223372036854775808,"id":"a"}'),
      'FORMAT_INT_OVERFLOW',
      'data[0].b',
    ],
    [
      'INT8 underflow',
      messageWith('{"ts":1,"b":-9223372036854775809,"id":"a"}'),
      'FORMAT_INT_OVERFLOW',
      'data[0].b',
    ],
    [
      'an INT8 beyond 2^53 written with an exponent',
      messageWith('{"ts":1,"b":1e17,"id":"a"}'),
      'FORMAT_INT_OVERFLOW',
      'data[0].b',
    ],
    [
      'bad hex in VARBYTES',
      messageWith('{"ts":1,"x":"\\\\x4g","id":"a"}'),
      'FORMAT_INVALID_HEX',
      'data[0].x',
    ],
    ['odd hex in VARBYTES', messageWith('{"ts":1,"x":"\\\\x4","id":"a"}'), 'FORMAT_INVALID_HEX', 'data[0].x'],
    ['a bad JSON escape', messageWith('{"ts":1,"id":"\\q"}'), 'FORMAT_INVALID_JSON', undefined],
    [
      'unknown type name',
      messageWith(ROW, { columns: '{"name":"ts","type":"TIMESTAMP"},{"name":"v","type":"INT16"}' }),
      'FORMAT_UNKNOWN_TYPE',
      'columns[1].type',
    ],
    [
      'empty column name',
      messageWith(ROW, { columns: '{"name":"ts","type":"TIMESTAMP"},{"name":"","type":"INT2"}' }),
      'FORMAT_EMPTY_NAME',
      'columns[1].name',
    ],
    [
      'name longer than 128 bytes',
      messageWith(ROW, {
        columns: `{"name":"ts","type":"TIMESTAMP"},{"name":"${'n'.repeat(129)}","type":"INT2"}`,
      }),
      'FORMAT_NAME_TOO_LONG',
      'columns[1].name',
    ],
    [
      'duplicate columns',
      messageWith(ROW, {
        columns: '{"name":"ts","type":"TIMESTAMP"},{"name":"v","type":"INT2"},{"name":"v","type":"INT4"}',
      }),
      'FORMAT_DUPLICATE_NAME',
      'columns[2].name',
    ],
    [
      'a tag named like a column',
      messageWith(ROW, { tags: '{"name":"v","type":"INT4","primary":true,"nullable":false}' }),
      'FORMAT_DUPLICATE_NAME',
      'tags[0].name',
    ],
    [
      'a repeated key in a row',
      messageWith('{"ts":1,"v":1,"v":2,"id":"a"}'),
      'FORMAT_INVALID_JSON',
      undefined,
    ],
    [
      'first column not a timestamp',
      messageWith(ROW, { columns: '{"name":"v","type":"INT2"},{"name":"ts","type":"TIMESTAMP"}' }),
      'FORMAT_WRONG_TYPE',
      'columns[0].type',
    ],
    [
      'no primary tag',
      messageWith(ROW, { tags: '{"name":"id","type":"VARCHAR","primary":false,"nullable":false}' }),
      'FORMAT_MISSING_PRIMARY_TAG',
      'tags',
    ],
    ['empty tags', messageWith(ROW, { tags: '' }), 'FORMAT_MISSING_PRIMARY_TAG', 'tags'],
    [
      'a nullable primary tag',
      messageWith(ROW, { tags: '{"name":"id","type":"VARCHAR","primary":true,"nullable":true}' }),
      'FORMAT_INVALID_TAG',
      'tags[0].nullable',
    ],
    [
      'a FLOAT8 primary tag',
      messageWith(ROW, { tags: '{"name":"id","type":"FLOAT8","primary":true,"nullable":false}' }),
      'FORMAT_INVALID_TAG',
      'tags[0].type',
    ],
    [
      'an NVARCHAR tag',
      messageWith(ROW, {
        tags: '{"name":"id","type":"VARCHAR","primary":true,"nullable":false},{"name":"n","type":"NVARCHAR"}',
      }),
      'FORMAT_INVALID_TAG',
      'tags[1].type',
    ],
    [
      'primary and isPrimary disagree',
      messageWith(ROW, {
        tags: '{"name":"id","type":"VARCHAR","primary":true,"isPrimary":false,"nullable":false}',
      }),
      'FORMAT_WRONG_TYPE',
      'tags[0].isPrimary',
    ],
    [
      'a VARCHAR length above KWDB maximum',
      messageWith(ROW, {
        tags: '{"name":"id","type":"VARCHAR","length":70000,"primary":true,"nullable":false}',
      }),
      'FORMAT_INVALID_LENGTH',
      'tags[0].length',
    ],
    ['a row without its primary tag', messageWith('{"ts":1,"v":1}'), 'FORMAT_MISSING_VALUE', 'data[0].id'],
    ['a row without its timestamp', messageWith('{"v":1,"id":"a"}'), 'FORMAT_MISSING_VALUE', 'data[0].ts'],
    ['a null timestamp', messageWith('{"ts":null,"id":"a"}'), 'FORMAT_MISSING_VALUE', 'data[0].ts'],
    [
      'a row with an undeclared key',
      messageWith('{"ts":1,"id":"a","q":1}'),
      'FORMAT_UNKNOWN_FIELD',
      'data[0].q',
    ],
    ['an unknown top-level field', messageWith(ROW, { extra: ',"rows":[]' }), 'FORMAT_UNKNOWN_FIELD', 'rows'],
    [
      'a value longer than VARCHAR(8)',
      messageWith('{"ts":1,"id":"123456789"}'),
      'FORMAT_VALUE_TOO_LONG',
      'data[0].id',
    ],
    [
      'a timestamp string that is not a time',
      messageWith('{"ts":"2023-13-01 00:00:00","id":"a"}'),
      'FORMAT_INVALID_TIMESTAMP',
      'data[0].ts',
    ],
    [
      'a nanosecond epoch before 1970',
      messageWith('{"ts":-1,"id":"a"}'),
      'FORMAT_INVALID_TIMESTAMP',
      'data[0].ts',
      'ns',
    ],
    ['a missing table', '{"columns":[],"tags":[],"data":[]}', 'FORMAT_MISSING_VALUE', 'table'],
    [
      'non-UTF-8 bytes',
      Buffer.concat([
        Buffer.from(messageWith('{"ts":1,"id":"')),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('"}]}'),
      ]),
      'FORMAT_INVALID_UTF8',
      undefined,
    ],
    [
      'more rows than the limit',
      messageWith(`${ROW},${ROW.replace('"a"', '"b"')}`),
      'FORMAT_TOO_MANY_ROWS',
      'data',
      'ms',
      { maxRows: 1 },
    ],
    [
      'a message above the size limit',
      messageWith(ROW),
      'FORMAT_MESSAGE_TOO_LARGE',
      undefined,
      'ms',
      { maxMessageBytes: 50 },
    ],
    [
      'more columns than the limit',
      messageWith(ROW),
      'FORMAT_TOO_MANY_COLUMNS',
      'columns',
      'ms',
      { maxColumns: 2 },
    ],
  ];

  it.each(cases)('%s', (_name, message, code, path, precision = 'ms', limits = {}) => {
    const { batches, errors } = decode('json_kaiwudb', message, { precision, limits });
    expect(errors[0]?.code).toBe(code);
    expect(errors[0]?.path).toBe(path);
    expect(errors[0]?.line).toBe(1);
    expect(errors[0]?.column).toBeGreaterThanOrEqual(1);
    expect(batches.flatMap((b) => b.rows)).toEqual([]);
  });
});

describe('json_kaiwudb: messages after the first with the same definitions (the cached definitions)', () => {
  const defs =
    '{"table":"t","columns":[{"name":"ts","type":"TIMESTAMPTZ","length":64},{"name":"c3","type":"INT8","length":64}],' +
    '"tags":[{"name":"loc","type":"VARCHAR","length":8,"primary":true,"nullable":false}],';
  const message = (rest: string): string => `${defs}${rest}`;
  const decodeOne = (text: string) =>
    decode('json_kaiwudb', text, { precision: 'ms', source: { name: 'topic/0@7' } });
  const codes = (text: string): FormatErrorCode[] => decodeOne(text).errors.map((e) => e.code);

  it.each([
    {
      name: 'other rows decode exactly',
      rest: '"data":[{"ts":1,"c3":9223372036854775807,"loc":"a"},{"ts":2,"c3":-5,"loc":"b"}]}',
      rows: [
        { ts: 1_000_000n, c3: 9_223_372_036_854_775_807n, loc: 'a' },
        { ts: 2_000_000n, c3: -5n, loc: 'b' },
      ],
      errors: [],
    },
    { name: 'no rows', rest: '"data":[]}', rows: [], errors: [] },
    {
      name: 'keys in another order, whitespace everywhere, an explicit null',
      rest: ' "data" : [ { "loc" : "a" , "c3" : null , "ts" : 1 } , {"c3":2,"ts":2,"loc":"b"} ] } \n',
      rows: [
        { loc: 'a', c3: null, ts: 1_000_000n },
        { c3: 2n, ts: 2_000_000n, loc: 'b' },
      ],
      errors: [],
    },
    {
      name: 'an escaped key',
      rest: '"data":[{"\\u0074s":1,"c3":1,"loc":"a"}]}',
      rows: [{ ts: 1_000_000n, c3: 1n, loc: 'a' }],
      errors: [],
    },
    {
      name: 'a key repeated in a row',
      rest: '"data":[{"ts":1,"ts":2,"c3":1,"loc":"a"}]}',
      rows: undefined,
      errors: ['FORMAT_INVALID_JSON'],
    },
    {
      name: 'an unknown key in a row',
      rest: '"data":[{"ts":1,"c3":1,"loc":"a","c9":1}]}',
      rows: [],
      errors: ['FORMAT_UNKNOWN_FIELD'],
    },
    {
      name: 'a row without its primary tag',
      rest: '"data":[{"ts":1,"c3":1},{"ts":2,"loc":"b"}]}',
      rows: [{ ts: 2_000_000n, loc: 'b' }],
      errors: ['FORMAT_MISSING_VALUE'],
    },
    {
      name: 'a null primary tag',
      rest: '"data":[{"ts":1,"c3":1,"loc":null}]}',
      rows: [],
      errors: ['FORMAT_MISSING_VALUE'],
    },
    {
      name: 'a bad row is located in the whole message',
      rest: '"data":[{"ts":1,"c3":1,"loc":"a"},{"ts":2,"c3":"x","loc":"b"}]}',
      rows: [{ ts: 1_000_000n, c3: 1n, loc: 'a' }],
      errors: ['FORMAT_WRONG_TYPE'],
    },
    {
      name: 'a key after the rows',
      rest: '"data":[],"extra":1}',
      rows: undefined,
      errors: ['FORMAT_UNKNOWN_FIELD'],
    },
    {
      name: 'the rows key twice',
      rest: '"data":[],"data":[]}',
      rows: undefined,
      errors: ['FORMAT_INVALID_JSON'],
    },
    {
      name: 'a key of the definitions again',
      rest: '"data":[],"table":"u"}',
      rows: undefined,
      errors: ['FORMAT_INVALID_JSON'],
    },
    { name: 'rows not an array', rest: '"data":{}}', rows: undefined, errors: ['FORMAT_WRONG_TYPE'] },
    { name: 'truncated', rest: '"data":[{"ts":1', rows: undefined, errors: ['FORMAT_INVALID_JSON'] },
    { name: 'text after the object', rest: '"data":[]} x', rows: undefined, errors: ['FORMAT_INVALID_JSON'] },
  ])('$name: same result as the first message of its kind', ({ rest, rows, errors }) => {
    // Warm the cache with a good message of the same definitions, then decode the case.
    expect(decodeOne(message('"data":[{"ts":9,"c3":9,"loc":"w"}]}')).errors).toEqual([]);
    const result = decodeOne(message(rest));
    expect(result.errors.map((e) => e.code)).toEqual(errors);
    if (rows !== undefined) {
      expect(result.batches).toHaveLength(1);
      expect(result.batches[0]!.rows).toEqual(rows);
      expect(result.batches[0]!.table).toBe('t');
      expect(result.batches[0]!.columns.map((c) => c.name)).toEqual(['ts', 'c3']);
    }
    // The same case after another table's message (nothing cached for it) gives the same.
    expect(
      decodeOne(
        '{"table":"other","columns":[{"name":"ts","type":"TIMESTAMPTZ"}],"tags":[{"name":"p","type":"INT4","primary":true,"nullable":false}],"data":[]}',
      ).errors,
    ).toEqual([]);
    expect(codes(message(rest))).toEqual(errors);
  });

  it('reports a bad row of a later message exactly as the first message of its kind does', () => {
    const other =
      '{"table":"other","columns":[{"name":"ts","type":"TIMESTAMPTZ"}],"tags":[{"name":"p","type":"INT4","primary":true,"nullable":false}],"data":[]}';
    const bad = message('"data":[{"ts":1,"c3":"x","loc":"a"},{"ts":2,"c3":2}]}');
    decodeOne(other); // nothing cached for `bad`'s definitions: the full path decodes it
    const first = decodeOne(bad);
    const again = decodeOne(bad); // its definitions are cached now
    expect(first.errors.map((e) => e.code)).toEqual(['FORMAT_WRONG_TYPE', 'FORMAT_MISSING_VALUE']);
    expect(again.errors).toEqual(first.errors);
    expect(again.errors.map((e) => [e.path, e.line, e.column])).toEqual(
      first.errors.map((e) => [e.path, e.line, e.column]),
    );
  });

  it('shares frozen definitions between messages, so nobody can change them under another batch', () => {
    const first = decodeOne(message('"data":[{"ts":9,"c3":9,"loc":"w"}]}')).batches[0]!;
    const second = decodeOne(message('"data":[{"ts":8,"c3":8,"loc":"v"}]}')).batches[0]!;
    expect(second.columns).toBe(first.columns);
    expect(Object.isFrozen(second.columns[0])).toBe(true);
    expect(() => second.tags.push({ name: 'x', type: 'INT2', primary: false, nullable: true })).toThrow(
      TypeError,
    );
  });
});
