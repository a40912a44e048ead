// What to do with one page read by readAfter: the rows to emit, the cursor after them, and
// whether to query again at once. Pure. timestamp.delay.interval.ms is not applied here: the
// bound `now - delay` goes into the query (readAfter's inclusive `until`, see delayCutoff), so
// rows newer than it are never read.
import type { Row } from '@kwdb-connect/formats';
import type { Cursor, TableSchema } from '@kwdb-connect/kwdb-client';

export interface PagePlan {
  /** Rows to emit, in (timestamp, primary tags) order. */
  rows: Row[];
  /** The cursor after the last emitted row (the previous cursor when nothing is emitted). */
  cursor: Cursor | null;
  /** True when the table is behind: the page was full, so query again at once. */
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
 */
export function planPage(schema: TableSchema, rows: Row[], previous: Cursor | null, limit: number): PagePlan {
  const last = rows[rows.length - 1];
  return {
    rows,
    cursor: last === undefined ? previous : cursorOf(schema, last),
    behind: rows.length >= limit,
  };
}

/**
 * readAfter's inclusive upper bound for timestamp.delay.interval.ms: now - delay in epoch
 * nanoseconds (rows at or before it are old enough), or undefined when the delay is 0.
 */
export function delayCutoff(nowMs: number, delayMs: number): bigint | undefined {
  if (delayMs <= 0) return undefined;
  return BigInt(nowMs - delayMs) * 1_000_000n;
}
