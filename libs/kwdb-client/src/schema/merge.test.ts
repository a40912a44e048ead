import { describe, expect, it } from '@jest/globals';
import type { TableSchema } from '../types';
import { mergeRowsByKey, originsOf, type PendingRow } from './merge';

const schema: TableSchema = {
  name: 't',
  precision: 'ms',
  columns: [
    { name: 'timestamp', type: 'TIMESTAMPTZ', nullable: false },
    { name: 'c1', type: 'VARCHAR', nullable: true },
    { name: 'c2', type: 'VARCHAR', nullable: true },
  ],
  tags: [
    { name: 'tag1', type: 'VARCHAR', nullable: false, primary: true },
    { name: 'note', type: 'VARCHAR', nullable: true, primary: false },
  ],
};
const row = (batch: number, values: PendingRow['values']): PendingRow => ({ batch, row: 0, values });

describe('mergeRowsByKey', () => {
  it('merges rows of one (timestamp, primary tags) key in order; undefined keeps, null overrides', () => {
    const merged = mergeRowsByKey(schema, [
      row(0, [1n, '10.3', undefined, '1', 'n']),
      row(1, [1n, undefined, '219', '1', undefined]),
      row(2, [2n, '12.6', undefined, '1', undefined]),
      row(3, [1n, '10.8', undefined, '1', null]),
    ]);
    expect(merged.map((r) => r.values)).toEqual([
      [1n, '10.8', '219', '1', null],
      [2n, '12.6', undefined, '1', undefined],
    ]);
    expect(merged.map(originsOf)).toEqual([
      [
        { batch: 0, row: 0 },
        { batch: 1, row: 0 },
        { batch: 3, row: 0 },
      ],
      [{ batch: 2, row: 0 }],
    ]);
  });

  it('keeps rows apart when a primary tag (text or number) differs', () => {
    const numeric: TableSchema = {
      ...schema,
      tags: [{ name: 'id', type: 'INT4', nullable: false, primary: true }],
    };
    expect(
      mergeRowsByKey(numeric, [row(0, [1n, 'a', undefined, 1]), row(1, [1n, 'b', undefined, 2])]),
    ).toHaveLength(2);
    expect(
      mergeRowsByKey(schema, [
        row(0, [1n, 'a', undefined, '1', undefined]),
        row(1, [1n, 'b', undefined, 'x', undefined]),
      ]),
    ).toHaveLength(2);
  });
});
