// Rows with the same key (timestamp + primary tags) within one write call merge into one row:
// a later row's given values (explicit NULL included) override, a column the later row does not
// give (undefined: "not given", model.ts) keeps the earlier row's value. So the OpenTSDB points
// `t.c1` and `t.c2` of one timestamp, sent as separate Kafka records, end up in one row, on both
// dialects, whatever KWDB's ts.dedup.rule is.

import type { Value } from '@kwdb-connect/formats';
import type { PreparedRow, TableSchema } from '../types';
import { allColumns, keyColumns } from './check';

/** Where a row came from: indexes into the input of `write` (a merged row has several). */
export interface RowOrigin {
  batch: number;
  row: number;
}

export interface PendingRow {
  origins: RowOrigin[];
  values: PreparedRow;
}

/** Text of a key value. Key values are checked: timestamps bigint, primary tags never NUL-containing text. */
function keyText(value: Value | undefined): string {
  return typeof value === 'string' ? `s${value}` : `${typeof value}${String(value)}`;
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
    let key = '';
    for (const i of keyIndexes) key += keyText(row.values[i]) + '\u0000';
    const earlier = byKey.get(key);
    if (earlier === undefined) {
      byKey.set(key, row);
      out.push(row);
      continue;
    }
    const values = earlier.values;
    for (let i = 0; i < values.length; i++) if (row.values[i] !== undefined) values[i] = row.values[i];
    for (const origin of row.origins) earlier.origins.push(origin);
  }
  return out;
}
