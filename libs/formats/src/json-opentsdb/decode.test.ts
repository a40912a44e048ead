import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { batchToJson, decode } from '../index';
import type { FormatErrorCode } from '../index';

const testdata = join(import.meta.dirname, 'testdata');
const read = (name: string) => readFileSync(join(testdata, name), 'utf8');

describe('json_opentsdb: the guide example decodes as written', () => {
  it('maps table.column metrics to VARCHAR columns of one table with exact value text', () => {
    const { batches, errors } = decode('json_opentsdb', read('guide-example.txt').trim(), {
      precision: 'ms',
    });
    expect(errors).toEqual([]);
    expect(batches.map((b) => batchToJson(b, 'ms')).join('\n') + '\n').toBe(
      read('guide-example.expected.jsonl'),
    );
    expect(batches[0]?.rows[0]).toEqual({
      timestamp: 1648432611249_000_000n,
      c1: '10.3',
      tag_name: 'tag_value',
    });
    expect(batches[0]?.canCreateTable).toBe(true);
    // A later message may bring other metrics of the same table: the writer adds the columns.
    expect(batches[0]?.canAddColumns).toBe(true);
  });

  it.each([
    [
      'a single data point',
      '{"metric":"t.c","timestamp":1,"value":2,"tags":{"k":"v"}}',
      { timestamp: 1_000_000_000n, c: '2', k: 'v' },
      's',
    ],
    [
      'an INT8 value above 2^53',
      '[{"metric":"t.c","timestamp":1,"value":9007199254740993,"tags":{"k":"v"}}]',
      { timestamp: 1_000_000n, c: '9007199254740993', k: 'v' },
      'ms',
    ],
    [
      'a string value and a number tag',
      '[{"metric":"t","timestamp":1,"value":"on","tags":{"k":12}}]',
      { timestamp: 1_000_000n, value: 'on', k: '12' },
      'ms',
    ],
    [
      'a boolean value',
      '[{"metric":"t.c","timestamp":1,"value":true,"tags":{"k":"v"}}]',
      { timestamp: 1_000_000n, c: 'true', k: 'v' },
      'ms',
    ],
  ] as const)('%s', (_name, message, row, precision) => {
    const { batches, errors } = decode('json_opentsdb', message, { precision });
    expect(errors).toEqual([]);
    expect(batches[0]?.rows).toEqual([row]);
    expect(batches[0]?.precision).toBe('ms');
  });

  it('merges points of one timestamp and series into one row, and splits tag-key sets into batches', () => {
    const message =
      '[{"metric":"t.a","timestamp":1,"value":1,"tags":{"k":"v"}},{"metric":"t.b","timestamp":1,"value":2,"tags":{"k":"v"}},' +
      '{"metric":"t.a","timestamp":1,"value":3,"tags":{"k":"v","z":"w"}}]';
    const { batches, errors } = decode('json_opentsdb', message, { precision: 'ms' });
    expect(errors).toEqual([]);
    expect(batches.map((b) => b.rows)).toEqual([
      [{ timestamp: 1_000_000n, a: '1', b: '2', k: 'v' }],
      [{ timestamp: 1_000_000n, a: '3', k: 'v', z: 'w' }],
    ]);
  });

  it('makes the first four tag keys (sorted) primary', () => {
    const message =
      '{"metric":"t.c","timestamp":1,"value":1,"tags":{"e":"5","d":"4","c":"3","b":"2","a":"1"}}';
    const { batches } = decode('json_opentsdb', message, { precision: 'ms' });
    expect(batches[0]?.tags.map((t) => [t.name, t.primary])).toEqual([
      ['a', true],
      ['b', true],
      ['c', true],
      ['d', true],
      ['e', false],
    ]);
  });
});

describe('json_opentsdb: malformed messages', () => {
  const good = '{"metric":"t.c","timestamp":1,"value":1,"tags":{"k":"v"}}';
  it.each([
    ['truncated', good.slice(0, 30), 'FORMAT_INVALID_JSON', undefined],
    ['a number instead of a point', '[1]', 'FORMAT_WRONG_TYPE', '[0]'],
    [
      'no tags',
      '[{"metric":"t.c","timestamp":1,"value":1,"tags":{}}]',
      'FORMAT_MISSING_PRIMARY_TAG',
      '[0].tags',
    ],
    ['missing tags', '[{"metric":"t.c","timestamp":1,"value":1}]', 'FORMAT_MISSING_PRIMARY_TAG', '[0].tags'],
    [
      'empty metric',
      '[{"metric":"","timestamp":1,"value":1,"tags":{"k":"v"}}]',
      'FORMAT_EMPTY_NAME',
      '[0].metric',
    ],
    [
      'empty column part',
      '[{"metric":"t.","timestamp":1,"value":1,"tags":{"k":"v"}}]',
      'FORMAT_EMPTY_NAME',
      '[0].metric',
    ],
    [
      'a fractional timestamp',
      '[{"metric":"t.c","timestamp":1.5,"value":1,"tags":{"k":"v"}}]',
      'FORMAT_WRONG_TYPE',
      '[0].timestamp',
    ],
    [
      'a string timestamp',
      '[{"metric":"t.c","timestamp":"1","value":1,"tags":{"k":"v"}}]',
      'FORMAT_INVALID_TIMESTAMP',
      '[0].timestamp',
    ],
    [
      'a null value',
      '[{"metric":"t.c","timestamp":1,"value":null,"tags":{"k":"v"}}]',
      'FORMAT_WRONG_TYPE',
      '[0].value',
    ],
    [
      'an object tag value',
      '[{"metric":"t.c","timestamp":1,"value":1,"tags":{"k":{}}}]',
      'FORMAT_WRONG_TYPE',
      '[0].tags.k',
    ],
    [
      'an empty tag value',
      '[{"metric":"t.c","timestamp":1,"value":1,"tags":{"k":""}}]',
      'FORMAT_MISSING_VALUE',
      '[0].tags',
    ],
    [
      'an unknown field',
      '[{"metric":"t.c","timestamp":1,"value":1,"tags":{"k":"v"},"x":1}]',
      'FORMAT_UNKNOWN_FIELD',
      '[0].x',
    ],
    [
      'a column named like a tag',
      '[{"metric":"t.k","timestamp":1,"value":1,"tags":{"k":"v"}}]',
      'FORMAT_DUPLICATE_NAME',
      '[0]',
    ],
    [
      'a timestamp beyond year 2970',
      '[{"metric":"t.c","timestamp":99999999999999,"value":1,"tags":{"k":"v"}}]',
      'FORMAT_INVALID_TIMESTAMP',
      '[0].timestamp',
    ],
  ] as [string, string, FormatErrorCode, string | undefined][])('%s', (_name, message, code, path) => {
    const { batches, errors } = decode('json_opentsdb', message, { precision: 's' });
    expect(errors[0]?.code).toBe(code);
    expect(errors[0]?.path).toBe(path);
    expect(batches.flatMap((b) => b.rows)).toEqual([]);
  });

  it('keeps the good points of an array with a bad one', () => {
    const message = `[${good},{"metric":"t.c","timestamp":2,"value":[],"tags":{"k":"v"}},${good.replace('"timestamp":1', '"timestamp":3')}]`;
    const { batches, errors } = decode('json_opentsdb', message, { precision: 'ms' });
    expect(batches[0]?.rows.map((r) => r.timestamp)).toEqual([1_000_000n, 3_000_000n]);
    expect(errors.map((e) => [e.code, e.path])).toEqual([['FORMAT_WRONG_TYPE', '[1].value']]);
  });

  it('refuses non-UTF-8 bytes with their position', () => {
    const bytes = Buffer.concat([
      Buffer.from('[{"metric":"t.c","timestamp":1,"value":"'),
      Buffer.from([0xe2, 0x28, 0xa1]),
      Buffer.from('","tags":{"k":"v"}}]'),
    ]);
    const { batches, errors } = decode('json_opentsdb', bytes, { precision: 'ms' });
    expect(errors.map((e) => [e.code, e.line, e.column])).toEqual([['FORMAT_INVALID_UTF8', 1, 41]]);
    expect(batches).toEqual([]);
  });

  it.each(['us', 'ns'] as const)('refuses precision %s', (precision) => {
    expect(() => decode('json_opentsdb', good, { precision })).toThrow(
      expect.objectContaining({ code: 'FORMAT_UNSUPPORTED_PRECISION' }),
    );
  });
});
