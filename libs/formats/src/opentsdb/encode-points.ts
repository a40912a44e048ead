// Shared by the OpenTSDB encoders: a batch row -> data points (one per non-null data column).
import { rowValue } from '../decode-context';
import { notRepresentable } from '../json-values';
import type { Batch, Protocol, Row, Value } from '../model';
import { valueText } from '../record-key';
import { isTimestampType } from '../values';

export interface OutgoingPoint {
  metric: string;
  /** Epoch nanoseconds. */
  timestamp: bigint;
  /** The cell value and its column's type. */
  value: Exclude<Value, null>;
  columnType: Batch['columns'][number]['type'];
  /** [key, value as text]; null tags are left out. */
  tags: [string, string][];
}

export function rowToPoints(batch: Batch, row: Row, format: Protocol): OutgoingPoint[] {
  const tsColumn = batch.columns[0];
  if (tsColumn === undefined)
    throw notRepresentable(format, `table ${JSON.stringify(batch.table)} has no columns`);
  if (batch.table.includes('.')) {
    throw notRepresentable(
      format,
      `table name ${JSON.stringify(batch.table)} contains "." and cannot be the table part of an OpenTSDB metric`,
    );
  }
  const timestamp = rowValue(row, tsColumn.name);
  if (typeof timestamp !== 'bigint')
    throw notRepresentable(format, `a row of ${JSON.stringify(batch.table)} has no timestamp`);
  const tags: [string, string][] = [];
  for (const tag of batch.tags) {
    const value = rowValue(row, tag.name);
    if (value !== undefined && value !== null) tags.push([tag.name, valueText(value)]);
  }
  const points: OutgoingPoint[] = [];
  for (let i = 1; i < batch.columns.length; i++) {
    const column = batch.columns[i] as Batch['columns'][number];
    const value = rowValue(row, column.name);
    if (value === undefined || value === null) continue;
    if (isTimestampType(column.type)) {
      throw notRepresentable(
        format,
        `TIMESTAMP column ${JSON.stringify(column.name)} cannot be an OpenTSDB value`,
      );
    }
    points.push({ metric: `${batch.table}.${column.name}`, timestamp, value, columnType: column.type, tags });
  }
  return points;
}
