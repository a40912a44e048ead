import { describe, expect, it } from '@jest/globals';
import { diffTables } from './diff';

describe('diffTables', () => {
  const cases = [
    { name: 'first listing: all added', known: [], listed: ['b', 'a'], added: ['a', 'b'], dropped: [] },
    { name: 'no change', known: ['a'], listed: ['a'], added: [], dropped: [] },
    { name: 'one created, one dropped', known: ['a', 'b'], listed: ['b', 'c'], added: ['c'], dropped: ['a'] },
    { name: 'everything dropped', known: ['a'], listed: [], added: [], dropped: ['a'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(diffTables(new Set(c.known), c.listed)).toEqual({ added: c.added, dropped: c.dropped });
    });
  }
});
