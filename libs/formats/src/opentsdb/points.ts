// The OpenTSDB formats (json_opentsdb, line_opentsdb) share one mapping from data points to
// tables (see docs/formats.md, "OpenTSDB"):
//   metric "table.column" -> table `table`, column `column` ("value" when the metric has no dot);
//   the table's first column is `timestamp` TIMESTAMPTZ (KWDB requires a timestamp first column);
//   value columns are VARCHAR holding the value exactly as written ("10.3", "219", "true");
//   tags are VARCHAR; with tag keys sorted, the first 4 are the primary tags (KWDB allows 4);
//   points of one table, timestamp and tag values within a message merge into one row;
//   batches have canAddColumns: a later message may bring other metrics (columns) and tags of the table.
import type { DecodeContext, ErrorPlace } from '../decode-context';
import { addError, checkName, setRowValue, tablePrecision } from '../decode-context';
import { describeFound } from '../errors';
import { MAX_PRIMARY_TAGS } from '../limits';
import type { Batch, ColumnDef, Row, TagDef } from '../model';
import { utf8ByteLength } from '../values';

/** Name of the timestamp column of OpenTSDB tables. */
export const OPENTSDB_TIMESTAMP_COLUMN = 'timestamp';
/** Column name for a metric without a `.column` part. */
export const OPENTSDB_VALUE_COLUMN = 'value';
/** VARCHAR length of value columns and ordinary tags (KWDB's default VARCHAR length). */
export const OPENTSDB_VALUE_LENGTH = 254;
/** VARCHAR length of primary tags (KWDB's maximum primary tag width). */
export const OPENTSDB_PRIMARY_TAG_LENGTH = 128;

export interface DataPoint {
  table: string;
  column: string;
  /** Epoch nanoseconds. */
  timestamp: bigint;
  /** The value exactly as written. */
  value: string;
  /** [key, value] pairs, sorted by key. */
  tags: [string, string][];
  place: ErrorPlace;
}

/** Splits a metric at its first dot into table and column; reports empty parts. */
export function splitMetric(
  metric: string,
  ctx: DecodeContext,
  place: ErrorPlace,
): { table: string; column: string } | undefined {
  const dot = metric.indexOf('.');
  const table = dot < 0 ? metric : metric.slice(0, dot);
  const column = dot < 0 ? OPENTSDB_VALUE_COLUMN : metric.slice(dot + 1);
  if (!checkName(ctx, table, 'table name (metric before the first ".")', place)) return undefined;
  if (!checkName(ctx, column, 'column name (metric after the first ".")', place)) return undefined;
  if (column === OPENTSDB_TIMESTAMP_COLUMN) {
    addError(
      ctx,
      'FORMAT_DUPLICATE_NAME',
      `a column name other than "${OPENTSDB_TIMESTAMP_COLUMN}"`,
      `metric ${describeFound(metric)} names the timestamp column`,
      place,
    );
    return undefined;
  }
  return { table, column };
}

/** Checks tags (at least one, names valid, not a column, lengths) and sorts them by key. Returns undefined after reporting. */
export function checkTags(
  tags: [string, string][],
  ctx: DecodeContext,
  place: ErrorPlace,
): [string, string][] | undefined {
  if (tags.length === 0) {
    addError(
      ctx,
      'FORMAT_MISSING_PRIMARY_TAG',
      'at least one tag',
      'a data point needs at least one tag (its primary tag)',
      place,
    );
    return undefined;
  }
  if (tags.length > ctx.limits.maxTags) {
    addError(
      ctx,
      'FORMAT_TOO_MANY_COLUMNS',
      `at most ${ctx.limits.maxTags} tags`,
      `${tags.length} tags, more than the limit of ${ctx.limits.maxTags}`,
      place,
    );
    return undefined;
  }
  const sorted =
    tags.length === 1 ? tags : [...tags].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (let i = 0; i < sorted.length; i++) {
    const [key, value] = sorted[i] as [string, string];
    if (!checkName(ctx, key, 'tag key', place)) return undefined;
    if (i > 0 && key === (sorted[i - 1] as [string, string])[0]) {
      addError(
        ctx,
        'FORMAT_DUPLICATE_NAME',
        'each tag key once',
        `tag key ${describeFound(key)} appears twice`,
        place,
      );
      return undefined;
    }
    if (key === OPENTSDB_TIMESTAMP_COLUMN) {
      addError(
        ctx,
        'FORMAT_DUPLICATE_NAME',
        `a tag key other than "${OPENTSDB_TIMESTAMP_COLUMN}"`,
        'tag key "timestamp" clashes with the timestamp column',
        place,
      );
      return undefined;
    }
    if (value.length === 0) {
      addError(
        ctx,
        'FORMAT_MISSING_VALUE',
        `a value for tag ${JSON.stringify(key)}`,
        `tag ${JSON.stringify(key)} has an empty value`,
        place,
      );
      return undefined;
    }
    const max = i < MAX_PRIMARY_TAGS ? OPENTSDB_PRIMARY_TAG_LENGTH : OPENTSDB_VALUE_LENGTH;
    if (value.length * 3 > max && utf8ByteLength(value) > max) {
      addError(
        ctx,
        'FORMAT_VALUE_TOO_LONG',
        `at most ${max} bytes`,
        `tag ${JSON.stringify(key)} value is longer than ${max} bytes`,
        place,
      );
      return undefined;
    }
  }
  return sorted;
}

/** Checks a value's length for its VARCHAR column. */
export function checkValueLength(value: string, ctx: DecodeContext, place: ErrorPlace): boolean {
  if (value.length * 3 > OPENTSDB_VALUE_LENGTH && utf8ByteLength(value) > OPENTSDB_VALUE_LENGTH) {
    addError(
      ctx,
      'FORMAT_VALUE_TOO_LONG',
      `at most ${OPENTSDB_VALUE_LENGTH} bytes`,
      `value is longer than ${OPENTSDB_VALUE_LENGTH} bytes`,
      place,
    );
    return false;
  }
  return true;
}

interface TableGroup {
  batch: Batch;
  columnNames: Set<string>;
  rowsByKey: Map<string, Row>;
}

/** Groups points into one batch per (table, tag-key set), merging points of the same timestamp and tags into one row. */
export function pointsToBatches(points: DataPoint[], ctx: DecodeContext): Batch[] {
  const groups = new Map<string, TableGroup>();
  for (const point of points) {
    let groupKey = point.table;
    for (const [key] of point.tags) groupKey += '\u0000' + key;
    let group = groups.get(groupKey);
    if (group === undefined) {
      const tags: TagDef[] = point.tags.map(([name], i) =>
        i < MAX_PRIMARY_TAGS
          ? { name, type: 'VARCHAR', length: OPENTSDB_PRIMARY_TAG_LENGTH, primary: true, nullable: false }
          : { name, type: 'VARCHAR', length: OPENTSDB_VALUE_LENGTH, primary: false, nullable: true },
      );
      const columns: ColumnDef[] = [
        { name: OPENTSDB_TIMESTAMP_COLUMN, type: 'TIMESTAMPTZ', nullable: false },
      ];
      group = {
        batch: {
          table: point.table,
          columns,
          tags,
          rows: [],
          precision: tablePrecision(ctx.precision),
          canCreateTable: true,
          canAddColumns: true,
        },
        columnNames: new Set(),
        rowsByKey: new Map(),
      };
      groups.set(groupKey, group);
    }
    if (!group.columnNames.has(point.column)) {
      if (point.tags.some(([key]) => key === point.column)) {
        addError(
          ctx,
          'FORMAT_DUPLICATE_NAME',
          'a column name that is not a tag key',
          `column ${JSON.stringify(point.column)} is also a tag key`,
          point.place,
        );
        continue;
      }
      group.columnNames.add(point.column);
      group.batch.columns.push({ name: point.column, type: 'VARCHAR', length: OPENTSDB_VALUE_LENGTH });
    }
    let rowKey = point.timestamp.toString();
    for (const [, value] of point.tags) rowKey += '\u0000' + value;
    let row = group.rowsByKey.get(rowKey);
    if (row === undefined) {
      row = {};
      setRowValue(row, OPENTSDB_TIMESTAMP_COLUMN, point.timestamp);
      for (const [key, value] of point.tags) setRowValue(row, key, value);
      group.rowsByKey.set(rowKey, row);
      group.batch.rows.push(row);
    }
    // The same column twice for one timestamp and series: the later point wins (OpenTSDB's rule).
    setRowValue(row, point.column, point.value);
  }
  return [...groups.values()].map((g) => g.batch);
}
