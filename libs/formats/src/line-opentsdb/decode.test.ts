import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { batchToJson, decode } from '../index';
import type { FormatErrorCode } from '../index';

const testdata = join(import.meta.dirname, 'testdata');
const read = (name: string) => readFileSync(join(testdata, name), 'utf8');

describe('line_opentsdb: the guide example decodes as written', () => {
  it('decodes all eight lines of one message into one table', () => {
    const { batches, errors } = decode('line_opentsdb', read('guide-example.txt'), { precision: 'ms' });
    expect(errors).toEqual([]);
    expect(batches.map((b) => batchToJson(b, 'ms')).join('\n') + '\n').toBe(
      read('guide-example.expected.jsonl'),
    );
    // Lines 1 and 5 give c1 for the same timestamp and tags: the later one wins.
    expect(batches[0]?.rows[0]).toEqual({
      timestamp: 1648432611249_000_000n,
      c1: '10.8',
      c2: '221',
      tag1: '1',
    });
  });

  it('decodes one guide line per message (as kafka-console-producer sends it) into a batch that may add columns', () => {
    const { batches, errors } = decode('line_opentsdb', 'ts_line_opentsdb_tb.c2 1648432611249 219 tag1=1', {
      precision: 'ms',
    });
    expect(errors).toEqual([]);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.columns.map((c) => c.name)).toEqual(['timestamp', 'c2']);
    expect(batches[0]?.rows).toEqual([{ timestamp: 1648432611249_000_000n, c2: '219', tag1: '1' }]);
    expect(batches[0]?.canCreateTable).toBe(true);
    expect(batches[0]?.canAddColumns).toBe(true);
  });

  it('reads seconds, several tags, runs of spaces and CRLF line ends', () => {
    const { batches, errors } = decode('line_opentsdb', 'sys.cpu  1700000000   -1.5e3 host=a dc=b\r\n', {
      precision: 's',
    });
    expect(errors).toEqual([]);
    expect(batches[0]?.table).toBe('sys');
    expect(batches[0]?.rows).toEqual([
      { timestamp: 1700000000_000_000_000n, cpu: '-1.5e3', dc: 'b', host: 'a' },
    ]);
  });
});

describe('line_opentsdb: malformed lines', () => {
  it.each([
    ['truncated after the value', 't.c 1 2', 'FORMAT_MISSING_PRIMARY_TAG', 8],
    ['truncated after the timestamp', 't.c 1', 'FORMAT_SYNTAX', 6],
    ['a word as value', 't.c 1 abc k=v', 'FORMAT_INVALID_NUMBER', 7],
    ['a value with a suffix', 't.c 1 12i k=v', 'FORMAT_INVALID_NUMBER', 7],
    ['a fractional timestamp', 't.c 1.5 2 k=v', 'FORMAT_INVALID_TIMESTAMP', 5],
    ['a tag without =', 't.c 1 2 k', 'FORMAT_SYNTAX', 9],
    ['an empty tag key', 't.c 1 2 =v', 'FORMAT_EMPTY_NAME', 9],
    ['an empty tag value', 't.c 1 2 k=', 'FORMAT_MISSING_VALUE', 9],
    ['a duplicate tag key', 't.c 1 2 k=v k=w', 'FORMAT_DUPLICATE_NAME', 9],
    ['an empty table name', '.c 1 2 k=v', 'FORMAT_EMPTY_NAME', 1],
    ['a timestamp out of range', 't.c 99999999999999999 2 k=v', 'FORMAT_INVALID_TIMESTAMP', 5],
  ] as [string, string, FormatErrorCode, number][])('%s', (_name, line, code, column) => {
    const { batches, errors } = decode('line_opentsdb', line, { precision: 'ms' });
    expect(errors.map((e) => [e.code, e.line, e.column])).toEqual([[code, 1, column]]);
    expect(batches).toEqual([]);
  });

  it('reports each bad line with its line number and keeps the good lines', () => {
    const message = 't.c 1 1 k=v\nt.c x 2 k=v\n\nt.c 3 3 k=v\nt.c 4 4\n';
    const { batches, errors } = decode('line_opentsdb', message, {
      precision: 'ms',
      source: { name: 'f', line: 10 },
    });
    expect(batches[0]?.rows.map((r) => r.c)).toEqual(['1', '3']);
    expect(errors.map((e) => e.toString())).toEqual([
      'f:11:5: FORMAT_INVALID_TIMESTAMP: invalid timestamp "x"',
      'f:14:8: FORMAT_MISSING_PRIMARY_TAG: line ends before its tag',
    ]);
  });

  it('refuses non-UTF-8 bytes with their position', () => {
    const bytes = Buffer.concat([Buffer.from('t.c 1 1 k=v\nt.c 2 2 k='), Buffer.from([0xc0, 0xaf])]);
    const { errors } = decode('line_opentsdb', bytes, { precision: 'ms' });
    expect(errors.map((e) => [e.code, e.line, e.column])).toEqual([['FORMAT_INVALID_UTF8', 2, 11]]);
  });

  it('refuses a message above the size limit', () => {
    const { errors } = decode('line_opentsdb', 't.c 1 1 k=v', {
      precision: 'ms',
      limits: { maxMessageBytes: 5 },
    });
    expect(errors.map((e) => e.code)).toEqual(['FORMAT_MESSAGE_TOO_LARGE']);
  });

  it('stops at the row limit with one clear error', () => {
    const { batches, errors } = decode('line_opentsdb', 't.c 1 1 k=v\nt.c 2 2 k=v\nt.c 3 3 k=v', {
      precision: 'ms',
      limits: { maxRows: 2 },
    });
    expect(batches[0]?.rows).toHaveLength(2);
    expect(errors.map((e) => [e.code, e.line])).toEqual([['FORMAT_TOO_MANY_ROWS', 3]]);
  });
});
