// What changed between two table listings. Pure.

export function diffTables(
  known: ReadonlySet<string>,
  listed: readonly string[],
): { added: string[]; dropped: string[] } {
  const now = new Set(listed);
  return {
    added: [...now].filter((t) => !known.has(t)).sort(),
    dropped: [...known].filter((t) => !now.has(t)).sort(),
  };
}
