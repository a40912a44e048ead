// Which task reads which table (docs/adr/0008-source-claims.md). Pure.
//
// Every table hashes to one partition of the connector's claims topic; a task reads exactly the
// tables whose partition Kafka's group protocol assigned to it. Since a partition has at most one
// owner per group generation, so has a table. The group leader spreads partitions so that every
// member gets about the same number of tables (it knows the tables from its own discovery).

/** FNV-1a (32 bit) of a string's UTF-8 bytes: stable across processes, versions and platforms. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The claims-topic partition a table belongs to. */
export function partitionOfTable(table: string, partitions: number): number {
  return fnv1a(table) % partitions;
}

/** The tables a member owning `owned` partitions reads. */
export function ownedTables(
  tables: Iterable<string>,
  owned: ReadonlySet<number>,
  partitions: number,
): string[] {
  const result: string[] = [];
  for (const table of tables) if (owned.has(partitionOfTable(table, partitions))) result.push(table);
  return result.sort();
}

/**
 * Assigns every partition to one member so that members get about the same number of known
 * tables (greedy: partitions with the most tables first, each to the member with the fewest
 * tables, then the fewest partitions, then the smallest id). Deterministic for the same input.
 */
export function assignPartitions(
  memberIds: readonly string[],
  partitions: number,
  tables: Iterable<string>,
): Map<string, number[]> {
  const members = [...memberIds].sort();
  const result = new Map<string, number[]>(members.map((m) => [m, []]));
  if (members.length === 0) return result;
  const load = new Map<number, number>();
  for (const table of tables) {
    const p = partitionOfTable(table, partitions);
    load.set(p, (load.get(p) ?? 0) + 1);
  }
  const order = Array.from({ length: partitions }, (_, p) => p).sort(
    (a, b) => (load.get(b) ?? 0) - (load.get(a) ?? 0) || a - b,
  );
  const tableCount = new Map<string, number>(members.map((m) => [m, 0]));
  for (const p of order) {
    let best = members[0]!;
    for (const m of members) {
      const dt = tableCount.get(m)! - tableCount.get(best)!;
      const dp = result.get(m)!.length - result.get(best)!.length;
      if (dt < 0 || (dt === 0 && dp < 0)) best = m;
    }
    result.get(best)!.push(p);
    tableCount.set(best, tableCount.get(best)! + (load.get(p) ?? 0));
  }
  for (const list of result.values()) list.sort((a, b) => a - b);
  return result;
}

/** What changed between two owned table sets. */
export function claimChanges(
  before: ReadonlySet<string>,
  after: ReadonlySet<string>,
): { acquired: string[]; released: string[] } {
  return {
    acquired: [...after].filter((t) => !before.has(t)).sort(),
    released: [...before].filter((t) => !after.has(t)).sort(),
  };
}
