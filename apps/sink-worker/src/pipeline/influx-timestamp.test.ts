import { describe, expect, it } from '@jest/globals';
import type { Batch } from '@kwdb-connect/formats';
import { resolveInfluxTimestamps } from './influx-timestamp';

const influx: Batch = {
  table: 'm',
  columns: [
    { name: '', type: 'TIMESTAMPTZ' },
    { name: 'c1', type: 'INT2', inferred: true },
  ],
  tags: [],
  rows: [{ '': 5n, c1: 1 }, { c1: 2 }],
  precision: 'ns',
  canCreateTable: false,
};

describe('resolveInfluxTimestamps', () => {
  it('names the timestamp column after the table and stamps rows without a timestamp', async () => {
    const [out] = await resolveInfluxTimestamps(
      [influx],
      async () => 'ts',
      () => 99n,
    );
    expect(out!.columns[0]!.name).toBe('ts');
    expect(out!.rows).toEqual([
      { ts: 5n, c1: 1 },
      { ts: 99n, c1: 2 },
    ]);
  });

  it('leaves the batch alone when the table does not exist (TABLE_NOT_FOUND per record follows)', async () => {
    const [out] = await resolveInfluxTimestamps(
      [influx],
      async () => undefined,
      () => 0n,
    );
    expect(out).toBe(influx);
  });
});
