// Kafka record keys for encoded rows. The source keys every record by table and primary tag
import { rowValue } from './decode-context';
// values, so all rows of one device land in one partition and keep their order.
import type { Batch, Row, Value } from './model';
import { bytesToHexText, floatText } from './values';

/**
 * The record key of a row: the JSON array `[table, primary tag values...]` as text, e.g.
 * `["cpu_kaiwudb_tb","647470401348904608"]`. Tag values are written as text (INT8 digits exact,
 * NULL as null). A batch without primary tags (line_influxdb) uses all its tags.
 */
export function recordKey(batch: Batch, row: Row): string {
  let primary = batch.tags.filter((t) => t.primary);
  if (primary.length === 0) primary = batch.tags;
  const parts: (string | null)[] = [batch.table];
  for (const tag of primary) {
    const value = rowValue(row, tag.name);
    parts.push(value === undefined || value === null ? null : valueText(value));
  }
  return JSON.stringify(parts);
}

/** A value as plain text: numbers and bigints as digits, bytes as `\x` hex, written values as written. */
export function valueText(value: Exclude<Value, null>): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'bigint':
      return value.toString();
    case 'number':
      return floatText(value);
    case 'boolean':
      return value ? 'true' : 'false';
  }
  if (value instanceof Uint8Array) return bytesToHexText(value);
  return value.text;
}

/** Rows grouped by record key, each group in the batch's row order; groups in order of first appearance. */
export function groupRowsByKey(batch: Batch): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of batch.rows) {
    const key = recordKey(batch, row);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [row]);
    else group.push(row);
  }
  return groups;
}
