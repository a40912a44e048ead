import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { batchToJson, decode, LINE_INFLUXDB_TIMESTAMP } from '../index';
import type { FormatErrorCode, WrittenValue } from '../index';

const testdata = join(import.meta.dirname, 'testdata');
const read = (name: string) => readFileSync(join(testdata, name), 'utf8');
const written = (form: WrittenValue['form'], text: string): WrittenValue => ({ kind: 'written', form, text });

describe('line_influxdb: the guide example decodes as written', () => {
  it('decodes the four lines, reading \\" as quotes and dropping the trailing ", of the string-literal form', () => {
    const { batches, errors } = decode('line_influxdb', read('guide-example.txt'), { precision: 'ns' });
    expect(errors).toEqual([]);
    expect(batches.map((b) => batchToJson(b, 'ns')).join('\n') + '\n').toBe(
      read('guide-example.expected.jsonl'),
    );
    const batch = batches[0];
    expect(batch?.canCreateTable).toBe(false);
    expect(batch?.canAddColumns ?? false).toBe(false);
    expect(batch?.columns.every((c, i) => i === 0 || c.inferred === true)).toBe(true);
    expect(batch?.rows[2]).toMatchObject({
      [LINE_INFLUXDB_TIMESTAMP]: 1648432611250000000n,
      c3: written('int8', '33'),
      c4: written('float4', '13.8'),
      c7: written('string', '\\x313233'),
      c9: written('string', 'c'),
      c10: written('nstring', '3'),
      c13: written('number', '1648432611250'),
      tag_name: written('bare', 'tag_value'),
    });
    expect(batch?.rows[1]?.c13).toEqual(written('string', '2023-08-11 12:12:10.249'));
  });
});

describe('line_influxdb: values', () => {
  it.each([
    ['i16', 'x=-32768i16', written('int2', '-32768')],
    ['i32', 'x=2147483647i32', written('int4', '2147483647')],
    ['i64 above 2^53', 'x=9223372036854775807i64', written('int8', '9223372036854775807')],
    ['i', 'x=5i', written('int8', '5')],
    ['f32', 'x=1.8f32', written('float4', '1.8')],
    ['f64 with exponent', 'x=1e-3f64', written('float8', '1e-3')],
    ['no suffix', 'x=0.16', written('number', '0.16')],
    ['TRUE in capitals', 'x=TRUE', written('bool', 'true')],
    ['False mixed case', 'x=False', written('bool', 'false')],
    ['double quotes with escapes', 'x="a\\"b\\\\c d,e=f"', written('string', 'a"b\\c d,e=f')],
    ['single quotes', "x='it\\'s'", written('string', "it's")],
    ['L-prefixed string', 'x=L"中文"', written('nstring', '中文')],
    ['VARBYTES hex kept as text', 'x="\\x6164"', written('string', '\\x6164')],
    ['an empty string', 'x=""', written('string', '')],
  ])('%s', (_name, field, value) => {
    const { batches, errors } = decode('line_influxdb', `m,t=1 ${field} 1`, { precision: 'ms' });
    expect(errors).toEqual([]);
    expect(batches[0]?.rows[0]?.x).toEqual(value);
  });

  it('unescapes names and tag values, and accepts a line without timestamp', () => {
    const { batches, errors } = decode('line_influxdb', 'my\\ table,tag\\=key=a\\,b\\ c f\\"k=1i', {
      precision: 'ms',
    });
    expect(errors).toEqual([]);
    expect(batches[0]?.table).toBe('my table');
    expect(batches[0]?.rows[0]).toEqual({ 'tag=key': written('bare', 'a,b c'), 'f"k': written('int8', '1') });
  });

  it('groups lines by measurement, skips comments and blank lines, and keeps nanoseconds exact', () => {
    const message =
      '# comment\na,t=1 x=1i 1700000000123456789\n\nb,t=2 y=2i 1700000000123456790\na,t=3 z=true\n';
    const { batches, errors } = decode('line_influxdb', message, { precision: 'ns' });
    expect(errors).toEqual([]);
    expect(batches.map((b) => [b.table, b.rows.length, b.columns.map((c) => c.name)])).toEqual([
      ['a', 2, ['', 'x', 'z']],
      ['b', 1, ['', 'y']],
    ]);
    expect(batches[1]?.rows[0]?.[LINE_INFLUXDB_TIMESTAMP]).toBe(1700000000123456790n);
  });
});

describe('line_influxdb: malformed lines', () => {
  it.each([
    ['truncated after the measurement', 'm', 'FORMAT_SYNTAX', 2],
    ['truncated after a field key', 'm f', 'FORMAT_SYNTAX', 4],
    ['a truncated string', 'm f="abc', 'FORMAT_SYNTAX', 5],
    ['an empty measurement', ',t=1 f=1', 'FORMAT_EMPTY_NAME', 1],
    ['an empty tag key', 'm,=1 f=1', 'FORMAT_EMPTY_NAME', 3],
    ['an empty tag value', 'm,t= f=1', 'FORMAT_MISSING_VALUE', 5],
    ['an empty field key', 'm =1', 'FORMAT_EMPTY_NAME', 3],
    ['an empty field value', 'm f=', 'FORMAT_MISSING_VALUE', 5],
    ['INT2 overflow', 'm f=32768i16', 'FORMAT_INT_OVERFLOW', 5],
    ['INT4 overflow', 'm f=-2147483649i32', 'FORMAT_INT_OVERFLOW', 5],
    ['INT8 overflow', 'm f=9223372036854775808i', 'FORMAT_INT_OVERFLOW', 5],
    ['FLOAT4 overflow', 'm f=1e39f32', 'FORMAT_FLOAT_OVERFLOW', 5],
    ['FLOAT8 overflow', 'm f=1e309', 'FORMAT_FLOAT_OVERFLOW', 5],
    ['a fraction with an integer suffix', 'm f=1.5i32', 'FORMAT_WRONG_TYPE', 5],
    ['unknown suffix u', 'm f=1u', 'FORMAT_UNKNOWN_SUFFIX', 6],
    ['unknown suffix i8', 'm f=1i8', 'FORMAT_UNKNOWN_SUFFIX', 6],
    ['a bad escape in a tag', 'm,t=a\\qb f=1', 'FORMAT_BAD_ESCAPE', 6],
    ['a trailing backslash', 'm,t=a\\', 'FORMAT_BAD_ESCAPE', 6],
    ['an unquoted word', 'm f=hello', 'FORMAT_WRONG_TYPE', 5],
    ['a malformed number', 'm f=1.', 'FORMAT_INVALID_NUMBER', 5],
    ['a duplicate field', 'm f=1,f=2', 'FORMAT_DUPLICATE_NAME', 1],
    ['a tag and field with one name', 'm,f=1 f=2', 'FORMAT_DUPLICATE_NAME', 1],
    ['a bad timestamp', 'm f=1 12x', 'FORMAT_INVALID_TIMESTAMP', 7],
    ['a timestamp before 1970 at ns', 'm f=1 -1', 'FORMAT_INVALID_TIMESTAMP', 1],
    ['garbage after a string', 'm f="a"b', 'FORMAT_SYNTAX', 8],
    ['an unescaped = in a tag value', 'm,t=a=b f=1', 'FORMAT_SYNTAX', 6],
    ['a stray \\" that the string-literal reading cannot fix either', 'm f=\\"a 1', 'FORMAT_WRONG_TYPE', 5],
  ] as [string, string, FormatErrorCode, number][])('%s', (_name, line, code, column) => {
    const { batches, errors } = decode('line_influxdb', line, { precision: 'ns' });
    expect(errors.map((e) => [e.code, e.line, e.column])).toEqual([[code, 1, column]]);
    expect(batches).toEqual([]);
  });

  it('keeps the good lines of a message with bad ones', () => {
    const { batches, errors } = decode('line_influxdb', 'm f=1i 1\nm f=1x 2\nm f=3i 3', { precision: 'ms' });
    expect(batches[0]?.rows.map((r) => r.f)).toEqual([written('int8', '1'), written('int8', '3')]);
    expect(errors.map((e) => [e.code, e.line, e.column])).toEqual([['FORMAT_UNKNOWN_SUFFIX', 2, 6]]);
  });

  it('refuses non-UTF-8 bytes with their position', () => {
    const bytes = Buffer.concat([Buffer.from('m f=1\nm f="'), Buffer.from([0xc3, 0x28]), Buffer.from('"')]);
    const { errors } = decode('line_influxdb', bytes, { precision: 'ms' });
    expect(errors.map((e) => [e.code, e.line, e.column])).toEqual([['FORMAT_INVALID_UTF8', 2, 6]]);
  });
});
