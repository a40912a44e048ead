// Rows of one table -> Kafka messages of `out.format`. Pure.
//
// Each row is encoded on its own (a one-row Batch), so the json_kaiwudb record has the guide's
// shape (one row in `data`). The record's Kafka timestamp is left to the producer (its current
// time, as Kafka Connect does) unless record.timestamp=row_time asks for the row's time in ms. Keys come from the formats library: the table and the primary tag values, so one
// device's rows land in one partition and keep their order.
import {
  encode,
  FormatError,
  type Batch,
  type Precision,
  type Protocol,
  type Row,
} from '@kwdb-connect/formats';
import type { TableSchema } from '@kwdb-connect/kwdb-client';

export interface OutMessage {
  key: string;
  value: string;
  /**
   * Epoch milliseconds as text (kafkajs' form) with record.timestamp=row_time; undefined (the
   * producer's current time) by default and for rows before 1970.
   */
  timestamp: string | undefined;
  /** Index into the rows given (a row gives several records with line_opentsdb). */
  row: number;
}

export interface RowError {
  /** Index into the rows given. */
  row: number;
  error: FormatError;
}

/**
 * The batch shape of a table: columns without `nullable` (the guide's output has none), tags with
 * it; `length` as describeTable states it (TIMESTAMP 64, INT8 64, FLOAT4 32, BOOL 1, VARCHAR n...).
 */
export function batchOf(schema: TableSchema, rows: Row[]): Batch {
  return {
    table: schema.name,
    columns: schema.columns.map((c) => ({
      name: c.name,
      type: c.type,
      ...(c.length === undefined ? {} : { length: c.length }),
    })),
    tags: schema.tags.map((t) => ({
      name: t.name,
      type: t.type,
      primary: t.primary,
      nullable: t.nullable,
      ...(t.length === undefined ? {} : { length: t.length }),
    })),
    rows,
    precision: schema.precision,
    canCreateTable: true,
  };
}

/**
 * The epoch unit written into messages: `timestamp.precision` when the user set it, else the
 * table's precision for the formats that carry ms/us/ns (json_kaiwudb, line_influxdb) and ms for
 * the OpenTSDB formats (which carry only s or ms).
 */
export function messagePrecision(
  format: Protocol,
  tablePrecision: TableSchema['precision'],
  configured: Precision | undefined,
): Precision {
  if (configured !== undefined) return configured;
  if (format === 'json_opentsdb' || format === 'line_opentsdb') return 'ms';
  return tablePrecision;
}

/** Kafka record timestamp (ms text) of a row timestamp in ns; undefined before the epoch. */
export function recordTimestamp(ns: bigint): string | undefined {
  if (ns < 0n) return undefined;
  return (ns / 1_000_000n).toString();
}

/** Encodes rows; rows the format cannot express are returned as errors (FormatError), the rest as messages. */
export function toMessages(
  schema: TableSchema,
  rows: Row[],
  format: Protocol,
  precision: Precision,
  recordTimestamps: 'produce_time' | 'row_time' = 'produce_time',
): { messages: OutMessage[]; errors: RowError[] } {
  const messages: OutMessage[] = [];
  const errors: RowError[] = [];
  const tsName = schema.columns[0]!.name;
  const batch = batchOf(schema, []);
  rows.forEach((row, index) => {
    batch.rows = [row];
    try {
      const timestamp = recordTimestamps === 'row_time' ? recordTimestamp(row[tsName] as bigint) : undefined;
      for (const record of encode(format, batch, { precision })) {
        messages.push({ key: record.key, value: record.value, timestamp, row: index });
      }
    } catch (error) {
      if (!(error instanceof FormatError)) throw error;
      errors.push({ row: index, error });
    }
  });
  return { messages, errors };
}
