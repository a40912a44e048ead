import { describe, expect, it } from '@jest/globals';
import { olderThanRetention, retentionMsOf } from './retention';

describe('retentionMsOf', () => {
  const cases: Array<[string, string | undefined, number | undefined]> = [
    ['the broker default (7 days)', '604800000', 604800000],
    ['unlimited', '-1', undefined],
    ['not stated', undefined, undefined],
  ];
  for (const [name, value, want] of cases) it(name, () => expect(retentionMsOf(value)).toBe(want));
});

describe('olderThanRetention', () => {
  const day = 86_400_000;
  const now = Date.UTC(2026, 11, 3);
  const cases: Array<[string, number, number | undefined, boolean]> = [
    ['the guide row of 2024-01-22 against 7 days', Date.UTC(2024, 0, 22), 7 * day, true],
    ['a row from an hour ago', now - 3_600_000, 7 * day, false],
    ['unlimited retention', Date.UTC(2024, 0, 22), undefined, false],
  ];
  for (const [name, rowMs, retention, want] of cases) {
    it(name, () => expect(olderThanRetention(rowMs, now, retention)).toBe(want));
  }
});
