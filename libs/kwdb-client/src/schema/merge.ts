// Rows with the same key (timestamp + primary tags) within one write call merge into one row:
// a later row's given values (explicit NULL included) override, a column the later row does not
// give (undefined: "not given", model.ts) keeps the earlier row's value. So the OpenTSDB points
// `t.c1` and `t.c2` of one timestamp, sent as separate Kafka records, end up in one row, on both
// dialects, whatever KWDB's ts.dedup.rule is.

import type { PreparedRow, TableSchema } from '../types';
import { allColumns, keyColumns } from './check';

/** Where a row came from: indexes into the input of `write` (a merged row has several). */
export interface RowOrigin {
  batch: number;
  row: number;
}

/**
 * A checked row waiting to be written, with its origin (`batch`, `row`) and those of the rows
 * merged into it (kept flat: one object per row written, issue 17).
 */
export interface PendingRow extends RowOrigin {
  values: PreparedRow;
  merged?: RowOrigin[];
}

/** Every input row a pending row stands for, its own first. */
export function originsOf(row: PendingRow): RowOrigin[] {
  return [{ batch: row.batch, row: row.row }, ...(row.merged ?? [])];
}

/**
 * One row per key, in the order each key first appears, values merged in input order.
 * The first row of each key is merged into in place (the writer's own objects).
 */
export function mergeRowsByKey(schema: TableSchema, rows: PendingRow[]): PendingRow[] {
  const columns = allColumns(schema);
  const keyNames = new Set(keyColumns(schema).map((c) => c.name));
  const keyIndexes = columns.flatMap((c, i) => (keyNames.has(c.name) ? [i] : []));
  const byKey = new Map<string, PendingRow>();
  const out: PendingRow[] = [];
  for (const row of rows) {
    // Key values are checked: NOT NULL, one JS type per column, text never containing NUL.
    let key = String(row.values[keyIndexes[0]!]);
    for (let k = 1; k < keyIndexes.length; k++) key += '\u0000' + String(row.values[keyIndexes[k]!]);
    const earlier = byKey.get(key);
    if (earlier === undefined) {
      byKey.set(key, row);
      out.push(row);
      continue;
    }
    const values = earlier.values;
    for (let i = 0; i < values.length; i++) if (row.values[i] !== undefined) values[i] = row.values[i];
    const merged = (earlier.merged ??= []);
    merged.push({ batch: row.batch, row: row.row });
    if (row.merged !== undefined) for (const origin of row.merged) merged.push(origin);
  }
  return out;
}
