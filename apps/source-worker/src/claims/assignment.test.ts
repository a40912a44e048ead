import { describe, expect, it } from '@jest/globals';
import { assignPartitions, claimChanges, fnv1a, ownedTables, partitionOfTable } from './assignment';

const tables = Array.from({ length: 10 }, (_, i) => `t${i}`);

describe('fnv1a', () => {
  const cases = [
    { text: '', hash: 0x811c9dc5 },
    { text: 'a', hash: 0xe40c292c },
    { text: 'foobar', hash: 0xbf9cf968 },
  ];
  for (const c of cases)
    it(`known vector ${JSON.stringify(c.text)}`, () => expect(fnv1a(c.text)).toBe(c.hash));
});

describe('assignPartitions', () => {
  const cases = [
    { name: 'one member gets every partition', members: ['a'], partitions: 8 },
    { name: 'two members, 10 tables', members: ['b', 'a'], partitions: 32 },
    { name: 'three members, 10 tables', members: ['a', 'b', 'c'], partitions: 32 },
    { name: 'more members than partitions', members: ['a', 'b', 'c', 'd', 'e'], partitions: 4 },
  ];
  for (const c of cases) {
    it(`${c.name}: every partition exactly once, tables balanced within one partition's load`, () => {
      const result = assignPartitions(c.members, c.partitions, tables);
      const all = [...result.values()].flat().sort((x, y) => x - y);
      expect(all).toEqual(Array.from({ length: c.partitions }, (_, p) => p));
      const counts = [...result.values()].map((ps) => ownedTables(tables, new Set(ps), c.partitions).length);
      expect(counts.reduce((s, n) => s + n, 0)).toBe(tables.length);
      const maxLoad = Math.max(
        ...tables.map(
          (t) =>
            tables.filter((u) => partitionOfTable(u, c.partitions) === partitionOfTable(t, c.partitions))
              .length,
        ),
      );
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(maxLoad);
    });
  }
  it('is deterministic whatever the member order', () => {
    expect(assignPartitions(['x', 'y'], 16, tables)).toEqual(assignPartitions(['y', 'x'], 16, tables));
  });
  it('no member: empty', () => expect(assignPartitions([], 4, tables).size).toBe(0));
});

describe('ownedTables', () => {
  it('the owned partitions of all members cover every table exactly once', () => {
    const result = assignPartitions(['a', 'b'], 32, tables);
    const a = ownedTables(tables, new Set(result.get('a')), 32);
    const b = ownedTables(tables, new Set(result.get('b')), 32);
    expect([...a, ...b].sort()).toEqual([...tables].sort());
    expect(a.filter((t) => b.includes(t))).toEqual([]);
  });
});

describe('claimChanges', () => {
  it('acquired and released', () => {
    expect(claimChanges(new Set(['a', 'b']), new Set(['b', 'c']))).toEqual({
      acquired: ['c'],
      released: ['a'],
    });
  });
});
