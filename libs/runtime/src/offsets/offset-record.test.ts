import { describe, expect, it } from '@jest/globals';
import { OffsetRecordError } from '../errors';
import { encodeOffsetKey, encodeOffsetValue, parseOffsetKey, parseOffsetValue } from './offset-record';
import { OffsetTable } from './offset-table';

describe('offset keys', () => {
  it("writes Kafka Connect's [connector, sourcePartition] shape exactly", () => {
    expect(encodeOffsetKey('kw-source', 'benchmark.cpu_kaiwudb_tb')).toBe(
      '["kw-source",{"table":"benchmark.cpu_kaiwudb_tb"}]',
    );
  });

  it.each([
    {
      name: 'own key',
      key: '["kw-source",{"table":"db.t"}]',
      expected: { connector: 'kw-source', table: 'db.t' },
    },
    {
      name: 'names with quotes round-trip',
      key: encodeOffsetKey('a"b', 'd.t\\1'),
      expected: { connector: 'a"b', table: 'd.t\\1' },
    },
    {
      name: 'another connector type (JDBC source)',
      key: '["jdbc",{"protocol":"1","table":"t"}]',
      expected: undefined,
    },
    { name: 'not an array', key: '{"table":"t"}', expected: undefined },
    { name: 'three elements', key: '["c",{"table":"t"},1]', expected: undefined },
    { name: 'numeric table', key: '["c",{"table":1}]', expected: undefined },
    { name: 'not JSON', key: 'status-task-c-0', expected: undefined },
  ])('parses $name', ({ key, expected }) => {
    expect(parseOffsetKey(key)).toEqual(expected);
  });
});

describe('offset values', () => {
  const offset = { ts: '1700000000123456789', tags: ['host_1', 7] };

  it('round-trips opaque JSON, keeping big epochs as strings', () => {
    const text = encodeOffsetValue(offset);
    expect(text).toBe('{"ts":"1700000000123456789","tags":["host_1",7]}');
    expect(parseOffsetValue(text)).toEqual(offset);
  });

  it.each([
    { name: 'tombstone', text: null },
    { name: 'JSON null', text: 'null' },
  ])('reads a $name as a reset', ({ text }) => {
    expect(parseOffsetValue(text)).toBeNull();
  });

  it.each([
    { name: 'not JSON', text: '{ts' },
    { name: 'an array', text: '[1]' },
    { name: 'a string', text: '"x"' },
  ])('rejects $name with an OffsetRecordError', ({ text }) => {
    expect(() => parseOffsetValue(text)).toThrow(OffsetRecordError);
  });
});

describe('OffsetTable', () => {
  const key = (c: string, t: string): string => encodeOffsetKey(c, t);
  const val = (ts: string): string => JSON.stringify({ ts });

  it.each([
    {
      name: 'latest offset per table wins',
      steps: [
        [key('c', 'db.a'), val('1')],
        [key('c', 'db.a'), val('2')],
        [key('c', 'db.b'), val('5')],
      ],
      expected: [
        ['db.a', { ts: '2' }],
        ['db.b', { ts: '5' }],
      ],
    },
    {
      name: 'a tombstone resets one table',
      steps: [
        [key('c', 'db.a'), val('1')],
        [key('c', 'db.b'), val('5')],
        [key('c', 'db.a'), null],
      ],
      expected: [['db.b', { ts: '5' }]],
    },
    {
      name: 'other connectors and foreign keys are kept apart',
      steps: [
        [key('c', 'db.a'), val('1')],
        [key('c2', 'db.a'), val('9')],
        ['["c",{"other":"x"}]', val('3')],
      ],
      expected: [['db.a', { ts: '1' }]],
    },
  ] as { name: string; steps: [string, string | null][]; expected: [string, unknown][] }[])(
    '$name',
    ({ steps, expected }) => {
      const table = new OffsetTable();
      for (const [k, v] of steps) table.apply(k, v);
      expect([...table.offsets('c').entries()]).toEqual(expected);
    },
  );

  it('returns a copy that later records do not change', () => {
    const table = new OffsetTable();
    table.apply(key('c', 'db.a'), val('1'));
    const before = table.offsets('c');
    table.apply(key('c', 'db.a'), val('2'));
    expect(before.get('db.a')).toEqual({ ts: '1' });
  });
});
