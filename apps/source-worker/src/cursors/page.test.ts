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
    cutoff: bigint | undefined;
    emitted: number;
    heldBack: number;
    behind: boolean;
    cursorTs: bigint | undefined;
  }> = [
    {
      name: 'empty page: keep the previous cursor, not behind',
      rows: [],
      limit: 3,
      cutoff: undefined,
      emitted: 0,
      heldBack: 0,
      behind: false,
      cursorTs: 1n,
    },
    {
      name: 'partial page: caught up',
      rows: [row(1, 1n), row(2, 1n)],
      limit: 3,
      cutoff: undefined,
      emitted: 2,
      heldBack: 0,
      behind: false,
      cursorTs: 2_000_000n,
    },
    {
      name: 'full page: behind, query again at once',
      rows: [row(1, 1n), row(1, 2n), row(1, 3n)],
      limit: 3,
      cutoff: undefined,
      emitted: 3,
      heldBack: 0,
      behind: true,
      cursorTs: 1_000_000n,
    },
    {
      name: 'delay holds back newer rows and is not behind',
      rows: [row(1, 1n), row(2, 1n), row(3, 1n)],
      limit: 3,
      cutoff: 2_000_000n,
      emitted: 2,
      heldBack: 1,
      behind: false,
      cursorTs: 2_000_000n,
    },
    {
      name: 'delay holds back every row',
      rows: [row(5, 1n)],
      limit: 3,
      cutoff: 2_000_000n,
      emitted: 0,
      heldBack: 1,
      behind: false,
      cursorTs: 1n,
    },
    {
      name: 'row exactly at the cutoff is emitted',
      rows: [row(2, 1n)],
      limit: 1,
      cutoff: 2_000_000n,
      emitted: 1,
      heldBack: 0,
      behind: true,
      cursorTs: 2_000_000n,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const plan = planPage(schema, c.rows, prev, c.limit, c.cutoff);
      expect(plan.rows).toHaveLength(c.emitted);
      expect(plan.heldBack).toBe(c.heldBack);
      expect(plan.behind).toBe(c.behind);
      expect(plan.cursor?.ts).toBe(c.cursorTs);
    });
  }
  it('cursor of a page ending inside one timestamp carries the last primary tag', () => {
    const plan = planPage(schema, [row(1, 1n), row(1, 2n)], null, 2, undefined);
    expect(plan.cursor).toEqual({ ts: 1_000_000n, primaryTags: [2n] });
  });
});

describe('delayCutoff', () => {
  it('0: no cutoff', () => expect(delayCutoff(10_000, 0)).toBeUndefined());
  it('now - delay in ns', () => expect(delayCutoff(10_000, 2_000)).toBe(8_000_000_000n));
});
