import { describe, expect, it } from '@jest/globals';
import type { Batch, KwdbType, Value, WrittenValue } from '@kwdb-connect/formats';
import { SchemaMismatchError } from '../errors';
import type { TableSchema } from '../types';
import { checkBatchShape, prepareRows } from './check';

const schema: TableSchema = {
  name: 'ts_line_influxdb_tb',
  precision: 'ms',
  columns: [
    { name: 'ts', type: 'TIMESTAMPTZ', nullable: false },
    { name: 'c1', type: 'INT2', nullable: true },
    { name: 'c3', type: 'INT8', nullable: true },
    { name: 'c11', type: 'VARCHAR', length: 5, nullable: true },
  ],
  tags: [{ name: 'tag_name', type: 'VARCHAR', length: 64, nullable: false, primary: true }],
};
const written = (form: WrittenValue['form'], text: string): WrittenValue => ({ kind: 'written', form, text });

/** A stand-in for formats' coerceValue: integers and strings only. */
function coerce(value: WrittenValue, type: KwdbType): Value {
  if (type === 'INT2' || type === 'INT8') return type === 'INT8' ? BigInt(value.text) : Number(value.text);
  if (type === 'VARCHAR') return value.text;
  throw new Error(`cannot make ${type} from ${value.text}`);
}

const influx = (rows: Batch['rows']): Batch => ({
  table: 'ts_line_influxdb_tb',
  columns: [
    { name: 'ts', type: 'TIMESTAMPTZ' },
    { name: 'c1', type: 'INT2', inferred: true },
    { name: 'c3', type: 'INT8', inferred: true },
    { name: 'c11', type: 'VARCHAR', inferred: true },
  ],
  tags: [{ name: 'tag_name', type: 'VARCHAR', primary: false, nullable: true, inferred: true }],
  rows,
  precision: 'ms',
  canCreateTable: false,
});

describe('batch checks', () => {
  it('coerces written (line_influxdb) values to the real column types, then checks them', () => {
    const batch = influx([
      {
        ts: 1648432611249000000n,
        c1: written('int2', '11'),
        c3: written('int8', '9223372036854775807'),
        c11: written('string', 'qaz'),
        tag_name: written('bare', 'tag_value'),
      },
      { ts: 1648432611249000000n, c1: written('int2', '40000'), tag_name: written('bare', 'x') },
      { ts: 1648432611249000000n, c11: written('string', 'toolong'), tag_name: written('bare', 'x') },
    ]);
    checkBatchShape(batch, schema);
    const prepared = prepareRows(batch, schema, coerce);
    expect(prepared.rows).toEqual([
      { index: 0, values: [1648432611249000000n, 11, 9223372036854775807n, 'qaz', 'tag_value'] },
    ]);
    expect(prepared.rejected.map((r) => [r.index, r.error.code])).toEqual([
      [1, 'VALUE_OUT_OF_RANGE'],
      [2, 'VALUE_TOO_LONG'],
    ]);
  });

  it('turns a coercion failure into a per-record VALUE_INVALID naming the column', () => {
    const s: TableSchema = {
      ...schema,
      columns: [...schema.columns, { name: 'f', type: 'FLOAT8', nullable: true }],
    };
    const batch = influx([{ ts: 0n, f: written('string', 'abc'), tag_name: written('bare', 'x') }]);
    batch.columns.push({ name: 'f', type: 'FLOAT8', inferred: true });
    const prepared = prepareRows(batch, s, coerce);
    expect(prepared.rejected[0]?.error).toMatchObject({
      code: 'VALUE_INVALID',
      column: 'f',
      table: 'ts_line_influxdb_tb',
    });
  });

  it('never drops a row key the table does not have', () => {
    const batch = influx([{ ts: 0n, tag_name: 'x', surprise: 1 }]);
    const prepared = prepareRows(batch, schema, coerce);
    expect(prepared.rejected[0]?.error).toBeInstanceOf(SchemaMismatchError);
    expect(prepared.rejected[0]?.error.message).toBe(
      'table "ts_line_influxdb_tb", column "surprise": expected a column or tag of the table, found unknown column',
    );
  });

  it('accepts a declared type of the same family (INT4 into INT8, CHAR into VARCHAR)', () => {
    const batch: Batch = {
      ...influx([]),
      columns: [
        { name: 'ts', type: 'TIMESTAMP' },
        { name: 'c3', type: 'INT4' },
        { name: 'c11', type: 'CHAR', length: 2 },
      ],
      tags: [{ name: 'tag_name', type: 'VARCHAR', primary: true, nullable: false }],
    };
    expect(() => checkBatchShape(batch, schema)).not.toThrow();
    expect(
      prepareRows({ ...batch, rows: [{ ts: 0n, c3: 5, c11: 'ab', tag_name: 't' }] }, schema, coerce).rows[0]
        ?.values,
    ).toEqual([0n, undefined, 5n, 'ab', 't']); // c1 not given: undefined (NULL in a new row, kept on merge)
  });

  it('keeps "not given" (undefined) apart from an explicit NULL, and still requires NOT NULL columns', () => {
    const batch: Batch = {
      ...influx([]),
      columns: [
        { name: 'ts', type: 'TIMESTAMP' },
        { name: 'c1', type: 'INT2' },
      ],
      tags: [{ name: 'tag_name', type: 'VARCHAR', primary: true, nullable: false }],
      rows: [
        { ts: 0n, c1: null, tag_name: 't' },
        { ts: 0n, tag_name: 't' },
        { c1: 1, tag_name: 't' },
      ],
    };
    const prepared = prepareRows(batch, schema, coerce);
    expect(prepared.rows.map((r) => r.values)).toEqual([
      [0n, null, undefined, undefined, 't'],
      [0n, undefined, undefined, undefined, 't'],
    ]);
    expect(prepared.rejected.map((r) => [r.index, r.error.code])).toEqual([[2, 'NULL_NOT_ALLOWED']]);
  });

  it('names the timestamp column when a batch lacks it', () => {
    const batch: Batch = { ...influx([]), columns: [{ name: 'time', type: 'TIMESTAMPTZ' }] };
    expect(() => checkBatchShape(batch, schema)).toThrow(
      /column "time": expected a column or tag of the table/,
    );
  });
});
