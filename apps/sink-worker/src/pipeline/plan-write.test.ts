import { describe, expect, it } from '@jest/globals';
import type { Batch } from '@kwdb-connect/formats';
import { planWrite, rowsWrittenPerTable, sameDefinitions } from './plan-write';

function batch(table: string, keys: number[], extra: Partial<Batch> = {}): Batch {
  return {
    table,
    columns: [
      { name: 'ts', type: 'TIMESTAMPTZ' },
      { name: 'k', type: 'INT8' },
    ],
    tags: [{ name: 'dev', type: 'VARCHAR', length: 8, primary: true, nullable: false }],
    rows: keys.map((k) => ({ ts: BigInt(k) * 1_000_000n, k: BigInt(k), dev: 'd' })),
    precision: 'ms',
    canCreateTable: true,
    ...extra,
  };
}

describe('planWrite', () => {
  it('merges rows of one table across records and remembers each row origin', () => {
    const plan = planWrite(
      [
        { index: 0, batches: [batch('a', [1, 2])] },
        { index: 1, batches: [batch('b', [3]), batch('a', [4])] },
      ],
      1000,
    );
    expect(plan.batches.map((b) => [b.table, b.rows.length])).toEqual([
      ['a', 3],
      ['b', 1],
    ]);
    expect(plan.origins).toEqual([[0, 0, 1], [1]]);
  });

  it('splits into write batches of at most batch.size rows', () => {
    const plan = planWrite([{ index: 0, batches: [batch('a', [1, 2, 3, 4, 5])] }], 2);
    expect(plan.batches.map((b) => b.rows.length)).toEqual([2, 2, 1]);
    expect(plan.origins).toEqual([[0, 0], [0, 0], [0]]);
  });

  it('keeps batches apart when their definitions differ (same table, other columns)', () => {
    const other = batch('a', [9], { columns: [{ name: 'ts', type: 'TIMESTAMPTZ' }] });
    const plan = planWrite(
      [
        { index: 0, batches: [batch('a', [1])] },
        { index: 1, batches: [other] },
      ],
      10,
    );
    expect(plan.batches).toHaveLength(2);
  });

  it('rejects a batch.size below 1', () => {
    expect(() => planWrite([], 0)).toThrow(RangeError);
  });

  it('counts written rows per table minus the rejected ones', () => {
    const plan = planWrite([{ index: 0, batches: [batch('a', [1, 2, 3]), batch('b', [4])] }], 10);
    expect(rowsWrittenPerTable(plan, [{ batch: 0, row: 1 }])).toEqual(
      new Map([
        ['a', 2],
        ['b', 1],
      ]),
    );
  });
});

describe('sameDefinitions (which batches merge)', () => {
  const base = batch('a', [1]);
  it.each([
    { name: 'same definitions, other rows', other: batch('a', [2]), same: true },
    {
      name: 'an absent length equals an undefined one',
      other: batch('a', [1], {
        columns: [
          { name: 'ts', type: 'TIMESTAMPTZ', length: undefined },
          { name: 'k', type: 'INT8' },
        ],
      }),
      same: true,
    },
    { name: 'other table', other: batch('b', [1]), same: false },
    { name: 'other precision', other: batch('a', [1], { precision: 'us' }), same: false },
    { name: 'cannot create the table', other: batch('a', [1], { canCreateTable: false }), same: false },
    {
      name: 'other column type',
      other: batch('a', [1], {
        columns: [
          { name: 'ts', type: 'TIMESTAMPTZ' },
          { name: 'k', type: 'INT4' },
        ],
      }),
      same: false,
    },
    {
      name: 'inferred column',
      other: batch('a', [1], {
        columns: [
          { name: 'ts', type: 'TIMESTAMPTZ' },
          { name: 'k', type: 'INT8', inferred: true },
        ],
      }),
      same: false,
    },
    {
      name: 'tag not primary',
      other: batch('a', [1], {
        tags: [{ name: 'dev', type: 'VARCHAR', length: 8, primary: false, nullable: false }],
      }),
      same: false,
    },
    {
      name: 'tag length',
      other: batch('a', [1], {
        tags: [{ name: 'dev', type: 'VARCHAR', length: 9, primary: true, nullable: false }],
      }),
      same: false,
    },
  ])('$name', ({ other, same }) => {
    expect(sameDefinitions(base, other)).toBe(same);
  });
});
