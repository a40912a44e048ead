import { describe, expect, it } from '@jest/globals';
import { claimsTopic } from './claims-group';

describe('claimsTopic', () => {
  const legal = /^[A-Za-z0-9._-]{1,249}$/;
  const cases = [
    { name: 'a plain name is kept', connector: 'kw-source', want: '__kwdb-connect-claims-kw-source' },
    { name: '249 ASCII characters', connector: 'a'.repeat(249), want: undefined },
    { name: '50 times é', connector: 'é'.repeat(50), want: undefined },
    { name: 'spaces and slashes', connector: 'a b/c', want: undefined },
  ];
  for (const c of cases) {
    it(`${c.name}: a legal topic name`, () => {
      const topic = claimsTopic(c.connector);
      expect(topic).toMatch(legal);
      if (c.want !== undefined) expect(topic).toBe(c.want);
    });
  }
  it('names that differ only in illegal characters or past the cut get different topics', () => {
    expect(claimsTopic('a b')).not.toBe(claimsTopic('a_b'));
    expect(claimsTopic('x'.repeat(240) + '1')).not.toBe(claimsTopic('x'.repeat(240) + '2'));
  });
});
