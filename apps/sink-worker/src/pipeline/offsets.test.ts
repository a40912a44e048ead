import { describe, expect, it } from '@jest/globals';
import { partitionLag, safeCommitOffset } from './offsets';

describe('safeCommitOffset', () => {
  const cases: { name: string; offsets: string[]; done: boolean[]; expected: string | undefined }[] = [
    {
      name: 'all done: one past the last',
      offsets: ['10', '11', '12'],
      done: [true, true, true],
      expected: '13',
    },
    { name: 'first not done: nothing', offsets: ['10', '11'], done: [false, true], expected: undefined },
    {
      name: 'stops before the first record not done',
      offsets: ['10', '11', '12', '13'],
      done: [true, true, false, true],
      expected: '12',
    },
    {
      name: 'gaps in offsets (compaction) are fine',
      offsets: ['10', '15', '20'],
      done: [true, true, true],
      expected: '21',
    },
    {
      name: 'offsets above 2^53 stay exact',
      offsets: ['9007199254740993'],
      done: [true],
      expected: '9007199254740994',
    },
    { name: 'empty batch: nothing', offsets: [], done: [], expected: undefined },
  ];
  it.each(cases)('$name', ({ offsets, done, expected }) => {
    expect(safeCommitOffset(offsets, (i) => done[i]!)).toBe(expected);
  });
});

describe('partitionLag', () => {
  it.each([
    { name: 'behind', high: '100', next: '40', expected: 60 },
    { name: 'caught up', high: '100', next: '100', expected: 0 },
    { name: 'never negative', high: '100', next: '101', expected: 0 },
  ])('$name', ({ high, next, expected }) => {
    expect(partitionLag(high, next)).toBe(expected);
  });
});
