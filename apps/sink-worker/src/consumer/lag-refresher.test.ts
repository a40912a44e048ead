import { describe, expect, it } from '@jest/globals';
import { assignedLag } from './lag-refresher';

describe('assignedLag: end offset minus the committed offset, for assigned partitions only', () => {
  const ends = [
    { partition: 0, high: '100', low: '0' },
    { partition: 1, high: '50', low: '20' },
    { partition: 2, high: '7', low: '0' },
  ];
  it.each([
    {
      name: 'committed offsets',
      assigned: [0, 1, 2],
      committed: [
        { partition: 0, offset: '60' },
        { partition: 1, offset: '50' },
        { partition: 2, offset: '7' },
      ],
      expected: [40, 0, 0],
    },
    {
      name: 'nothing committed yet (-1): from the log start',
      assigned: [0, 1],
      committed: [
        { partition: 0, offset: '-1' },
        { partition: 1, offset: '-1' },
      ],
      expected: [100, 30],
    },
    {
      name: 'a partition of another task is left out',
      assigned: [1],
      committed: [{ partition: 1, offset: '45' }],
      expected: [5],
    },
    {
      name: 'a committed offset above the end (truncated log) is lag 0, never negative',
      assigned: [2],
      committed: [{ partition: 2, offset: '9' }],
      expected: [0],
    },
  ])('$name', ({ assigned, committed, expected }) => {
    const result = assignedLag(new Set(assigned), ends, committed);
    expect(result.map((r) => r.partition)).toEqual(assigned);
    expect(result.map((r) => r.lag)).toEqual(expected);
  });
});
