import { describe, expect, it } from '@jest/globals';
import { LINE_INFLUXDB_TIMESTAMP, type Batch } from '@kwdb-connect/formats';
import { SchemaMismatchError } from '../errors';
import type { TableSchema } from '../types';
import { nowNs, withTimestampColumn } from './timestamp-column';

const table: TableSchema = {
  name: 'm',
  precision: 'ns',
  columns: [
    { name: 'ts', type: 'TIMESTAMPTZ', nullable: false },
    { name: 'c1', type: 'INT2', nullable: true },
  ],
  tags: [{ name: 'id', type: 'VARCHAR', length: 8, nullable: false, primary: true }],
};
const influx: Batch = {
  table: 'm',
  columns: [
    { name: LINE_INFLUXDB_TIMESTAMP, type: 'TIMESTAMPTZ' },
    { name: 'c1', type: 'INT2', inferred: true },
  ],
  tags: [],
  rows: [{ [LINE_INFLUXDB_TIMESTAMP]: 5n, c1: 1 }, { c1: 2 }],
  precision: 'ns',
  canCreateTable: false,
};

describe('withTimestampColumn (line_influxdb)', () => {
  it("names the timestamp column after the table's first column and stamps rows without a timestamp", () => {
    const out = withTimestampColumn(influx, table, 99n);
    expect(out.columns[0]).toEqual({ name: 'ts', type: 'TIMESTAMPTZ' });
    expect(out.rows).toEqual([
      { ts: 5n, c1: 1 },
      { ts: 99n, c1: 2 },
    ]);
    expect(influx.rows[0]).toEqual({ [LINE_INFLUXDB_TIMESTAMP]: 5n, c1: 1 }); // the input is not changed
  });

  it('leaves batches that name their timestamp column alone', () => {
    const named: Batch = { ...influx, columns: [{ name: 'ts', type: 'TIMESTAMPTZ' }], rows: [{ ts: 1n }] };
    expect(withTimestampColumn(named, table, 99n)).toBe(named);
  });

  it('refuses a field with the name of the timestamp column instead of overwriting either value', () => {
    const clash: Batch = {
      ...influx,
      columns: [...influx.columns, { name: 'ts', type: 'INT8', inferred: true }],
    };
    expect(() => withTimestampColumn(clash, table, 99n)).toThrow(SchemaMismatchError);
  });

  it('stamps with the clock in nanoseconds at millisecond resolution (valid for every precision)', () => {
    const before = BigInt(Date.now()) * 1_000_000n;
    const now = nowNs();
    expect(now >= before && now % 1_000_000n === 0n).toBe(true);
  });
});
