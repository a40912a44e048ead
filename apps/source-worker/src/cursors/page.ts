// What to do with one page read by readAfter: which rows to emit, the cursor after them, and
// whether to query again at once. Pure.
import type { Row } from '@kwdb-connect/formats';
import type { Cursor, TableSchema } from '@kwdb-connect/kwdb-client';

export interface PagePlan {
  /** Rows to emit, in (timestamp, primary tags) order. */
  rows: Row[];
  /** The cursor after the last emitted row (the previous cursor when nothing is emitted). */
  cursor: Cursor | null;
  /** Rows read but held back because they are newer than now - timestamp.delay.interval.ms. */
  heldBack: number;
  /** True when the table is behind: the page was full and nothing was held back, so query again at once. */
  behind: boolean;
}

/** The cursor just after `row`: its timestamp and primary tag values in primary-tag order. */
export function cursorOf(schema: TableSchema, row: Row): Cursor {
  const tsName = schema.columns[0]!.name;
  const primaryTags = schema.tags.filter((t) => t.primary).map((t) => row[t.name] ?? null);
  return { ts: row[tsName] as bigint, primaryTags };
}

/**
 * @param rows the page, as readAfter returned it (at most `limit` rows, in order)
 * @param previous the cursor the page was read after
 * @param cutoffNs rows with a timestamp above this are held back (now - delay); undefined: no delay
 */
export function planPage(
  schema: TableSchema,
  rows: Row[],
  previous: Cursor | null,
  limit: number,
  cutoffNs: bigint | undefined,
): PagePlan {
  const tsName = schema.columns[0]!.name;
  let keep = rows.length;
  if (cutoffNs !== undefined) {
    keep = 0;
    while (keep < rows.length && (rows[keep]![tsName] as bigint) <= cutoffNs) keep += 1;
  }
  const emitted = keep === rows.length ? rows : rows.slice(0, keep);
  const last = emitted[emitted.length - 1];
  return {
    rows: emitted,
    cursor: last === undefined ? previous : cursorOf(schema, last),
    heldBack: rows.length - keep,
    behind: rows.length >= limit && keep === rows.length,
  };
}

/** now - timestamp.delay.interval.ms in epoch nanoseconds, or undefined when the delay is 0. */
export function delayCutoff(nowMs: number, delayMs: number): bigint | undefined {
  if (delayMs <= 0) return undefined;
  return BigInt(nowMs - delayMs) * 1_000_000n;
}
