import { describe, expect, it } from '@jest/globals';
import { isCaughtUp } from './compacted-topic-reader';

describe('isCaughtUp', () => {
  it.each([
    { name: 'empty topic', ends: [{ partition: 0, high: '0', low: '0' }], positions: [], expected: true },
    {
      name: 'nothing read yet',
      ends: [{ partition: 0, high: '3', low: '0' }],
      positions: [],
      expected: false,
    },
    {
      name: 'read to the end',
      ends: [{ partition: 0, high: '3', low: '0' }],
      positions: [[0, 3n]],
      expected: true,
    },
    {
      name: 'past the end seen at call time',
      ends: [{ partition: 0, high: '3', low: '0' }],
      positions: [[0, 5n]],
      expected: true,
    },
    {
      name: 'one partition behind',
      ends: [
        { partition: 0, high: '3', low: '0' },
        { partition: 1, high: '2', low: '0' },
      ],
      positions: [
        [0, 3n],
        [1, 1n],
      ],
      expected: false,
    },
    {
      name: 'partition emptied by retention (low = high)',
      ends: [{ partition: 0, high: '7', low: '7' }],
      positions: [],
      expected: true,
    },
    {
      name: 'offsets beyond 2^53',
      ends: [{ partition: 0, high: '9007199254740995', low: '0' }],
      positions: [[0, 9007199254740994n]],
      expected: false,
    },
  ] as {
    name: string;
    ends: { partition: number; high: string; low: string }[];
    positions: [number, bigint][];
    expected: boolean;
  }[])('$name', ({ ends, positions, expected }) => {
    expect(isCaughtUp(ends, new Map(positions))).toBe(expected);
  });
});
