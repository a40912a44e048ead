import { describe, expect, it } from '@jest/globals';
import { coerceValue } from './index';
import type { FormatErrorCode, KwdbType, Precision, Value, WrittenValue } from './index';

const w = (form: WrittenValue['form'], text: string): WrittenValue => ({ kind: 'written', form, text });

describe('coerceValue', () => {
  it.each([
    ['i16 into INT2', w('int2', '11'), 'INT2', undefined, undefined, 11],
    [
      'i64 into INT8 above 2^53',
      w('int8', '9007199254740993'),
      'INT8',
      undefined,
      undefined,
      9007199254740993n,
    ],
    ['an unsuffixed integer into INT4', w('number', '7'), 'INT4', undefined, undefined, 7],
    [
      'an unsuffixed number into TIMESTAMP (ms)',
      w('number', '1648432611249'),
      'TIMESTAMP',
      undefined,
      undefined,
      1648432611249_000_000n,
    ],
    [
      'an unsuffixed number into TIMESTAMPTZ (us column)',
      w('number', '1648432611249123'),
      'TIMESTAMPTZ',
      undefined,
      'us',
      1648432611249123_000n,
    ],
    [
      'a time string into TIMESTAMP',
      w('string', '2023-08-11 12:12:10.249'),
      'TIMESTAMP',
      undefined,
      undefined,
      1691755930249_000_000n,
    ],
    ['f32 into FLOAT4', w('float4', '11.8'), 'FLOAT4', undefined, undefined, 11.8],
    ['an i32 into FLOAT8', w('int4', '3'), 'FLOAT8', undefined, undefined, 3],
    ['a string into VARCHAR', w('string', 'qaz'), 'VARCHAR', 8, undefined, 'qaz'],
    ['an L string into NVARCHAR', w('nstring', '中文'), 'NVARCHAR', 2, undefined, '中文'],
    [
      '\\x hex into VARBYTES',
      w('string', '\\x313233'),
      'VARBYTES',
      undefined,
      undefined,
      new Uint8Array([0x31, 0x32, 0x33]),
    ],
    [
      'plain text into VARBYTES as UTF-8',
      w('string', 'ab'),
      'VARBYTES',
      undefined,
      undefined,
      new Uint8Array([0x61, 0x62]),
    ],
    ['a boolean into BOOL', w('bool', 'true'), 'BOOL', undefined, undefined, true],
    [
      'a bare tag into INT8',
      w('bare', '647470401348904608'),
      'INT8',
      undefined,
      undefined,
      647470401348904608n,
    ],
    ['a bare tag into BOOL', w('bare', 'FALSE'), 'BOOL', undefined, undefined, false],
    ['a bare tag into FLOAT8', w('bare', '35.5'), 'FLOAT8', undefined, undefined, 35.5],
    ['a bare tag into VARCHAR', w('bare', 'tag_value'), 'VARCHAR', undefined, undefined, 'tag_value'],
  ] as [string, WrittenValue, KwdbType, number | undefined, Precision | undefined, Value][])(
    '%s',
    (_name, value, type, length, precision, expected) => {
      expect(coerceValue(value, type, length, precision)).toEqual(expected);
    },
  );

  it.each([
    ['a string into INT8', w('string', '12'), 'INT8', undefined, 'FORMAT_WRONG_TYPE'],
    ['a fraction into INT4', w('number', '1.5'), 'INT4', undefined, 'FORMAT_WRONG_TYPE'],
    ['an i64 into INT2 that overflows', w('int8', '40000'), 'INT2', undefined, 'FORMAT_INT_OVERFLOW'],
    ['a number into VARCHAR', w('number', '1'), 'VARCHAR', undefined, 'FORMAT_WRONG_TYPE'],
    ['a number into BOOL', w('int8', '1'), 'BOOL', undefined, 'FORMAT_WRONG_TYPE'],
    ['a too-long VARCHAR', w('string', 'abcdef'), 'VARCHAR', 5, 'FORMAT_VALUE_TOO_LONG'],
    ['a too-long NCHAR', w('nstring', '中文字'), 'NCHAR', 2, 'FORMAT_VALUE_TOO_LONG'],
    ['bad hex', w('string', '\\x3g'), 'VARBYTES', undefined, 'FORMAT_INVALID_HEX'],
    ['a bad time string', w('string', '2023-08-11'), 'TIMESTAMP', undefined, 'FORMAT_INVALID_TIMESTAMP'],
    ['a FLOAT4 overflow', w('number', '1e39'), 'FLOAT4', undefined, 'FORMAT_FLOAT_OVERFLOW'],
    ['a bare word into INT2', w('bare', 'abc'), 'INT2', undefined, 'FORMAT_WRONG_TYPE'],
  ] as [string, WrittenValue, KwdbType, number | undefined, FormatErrorCode][])(
    'refuses %s',
    (_name, value, type, length, code) => {
      expect(() => coerceValue(value, type, length)).toThrow(
        expect.objectContaining({ name: 'FormatError', code }),
      );
    },
  );
});
