import { describe, expect, it } from '@jest/globals';
import type { Row } from '@kwdb-connect/formats';
import type { TableSchema } from '@kwdb-connect/kwdb-client';
import { cursorOf, delayCutoff, planPage } from './page';

const schema: TableSchema = {
  name: 't',
  precision: 'ms',
  columns: [
    { name: 'ts', type: 'TIMESTAMPTZ', nullable: false },
    { name: 'v', type: 'INT8', nullable: true },
  ],
  tags: [
    { name: 'id', type: 'INT8', nullable: false, primary: true },
    { name: 'site', type: 'VARCHAR', nullable: true, primary: false },
  ],
};
const row = (ms: number, id: bigint): Row => ({ ts: BigInt(ms) * 1_000_000n, v: 1n, id, site: 'x' });

describe('cursorOf', () => {
  it('timestamp and primary tags only', () => {
    expect(cursorOf(schema, row(5, 647470401348904608n))).toEqual({
      ts: 5_000_000n,
      primaryTags: [647470401348904608n],
    });
  });
});

describe('planPage', () => {
  const prev = { ts: 1n, primaryTags: [0n] };
  const cases: Array<{
    name: string;
    rows: Row[];
    limit: number;
    behind: boolean;
    cursorTs: bigint | undefined;
  }> = [
    {
      name: 'empty page: keep the previous cursor, not behind',
      rows: [],
      limit: 3,
      behind: false,
      cursorTs: 1n,
    },
    {
      name: 'partial page: caught up',
      rows: [row(1, 1n), row(2, 1n)],
      limit: 3,
      behind: false,
      cursorTs: 2_000_000n,
    },
    {
      name: 'full page: behind, query again at once',
      rows: [row(1, 1n), row(1, 2n), row(1, 3n)],
      limit: 3,
      behind: true,
      cursorTs: 1_000_000n,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const plan = planPage(schema, c.rows, prev, c.limit);
      expect(plan.rows).toBe(c.rows);
      expect(plan.behind).toBe(c.behind);
      expect(plan.cursor?.ts).toBe(c.cursorTs);
    });
  }
  it('cursor of a page ending inside one timestamp carries the last primary tag', () => {
    const plan = planPage(schema, [row(1, 1n), row(1, 2n)], null, 2);
    expect(plan.cursor).toEqual({ ts: 1_000_000n, primaryTags: [2n] });
  });
});

describe('delayCutoff', () => {
  it('0: no cutoff', () => expect(delayCutoff(10_000, 0)).toBeUndefined());
  it('now - delay in ns (the inclusive until of readAfter)', () =>
    expect(delayCutoff(10_000, 2_000)).toBe(8_000_000_000n));
});
