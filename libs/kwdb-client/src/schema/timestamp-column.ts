// line_influxdb batches do not name their timestamp column: it is LINE_INFLUXDB_TIMESTAMP (''),
// "the table's first column" (libs/formats model.ts). Once the table's real schema is known, the
// writer renames it to the real first column and stamps rows without a timestamp with the time
// of the write (InfluxDB's rule: a point without a timestamp gets the server's time).

import { LINE_INFLUXDB_TIMESTAMP, type Batch, type Row } from '@kwdb-connect/formats';
import { SchemaMismatchError } from '../errors';
import type { TableSchema } from '../types';

/** Epoch nanoseconds now, at millisecond resolution (fits every table precision). */
export const nowNs = (): bigint => BigInt(Date.now()) * 1_000_000n;

/**
 * The batch with its '' timestamp column named after the table's first column, and `stamp`
 * (epoch ns) in rows that have no timestamp. Other batches are returned unchanged.
 * Throws SchemaMismatchError when a field or tag of the batch already has the timestamp column's name.
 */
export function withTimestampColumn(batch: Batch, schema: TableSchema, stamp: bigint): Batch {
  const first = batch.columns[0];
  if (first === undefined || first.name !== LINE_INFLUXDB_TIMESTAMP) return batch;
  const real = schema.columns[0]?.name;
  if (real === undefined) return batch;
  if ([...batch.columns, ...batch.tags].some((def) => def.name === real)) {
    throw new SchemaMismatchError(
      schema.name,
      real,
      `the line's timestamp in the table's first column "${real}"`,
      'a field or tag with the same name',
    );
  }
  const rows = batch.rows.map((row) => {
    const copy: Row = { ...row };
    const ts = Object.hasOwn(row, LINE_INFLUXDB_TIMESTAMP) ? row[LINE_INFLUXDB_TIMESTAMP] : undefined;
    delete copy[LINE_INFLUXDB_TIMESTAMP];
    copy[real] = ts === undefined ? stamp : ts;
    return copy;
  });
  return { ...batch, columns: [{ ...first, name: real }, ...batch.columns.slice(1)], rows };
}
