// Writes batches: find each batch's real table (created, or given new columns, when the batch
// allows), check every row against it, merge rows of the same key, and send them in statements
// of at most batch.size rows. Replaying the same rows is harmless: KWDB deduplicates (timestamp,
// primary tags) by its `ts.dedup.rule`; the postgres dialect copies rows whose keys are new and
// upserts the given columns when a key is already there (ADR 0002, item 5).
//
// Rows with the same key within one call merge (schema/merge.ts): later given values override,
// columns a later row does not give keep the earlier values.
//
// Errors: a retriable error (connection lost, ...) is thrown and nothing is
// reported as written for the statement that failed; the caller retries the
// whole call (idempotent). A permanent error is per record: the batch or row
// at fault is reported in `rejected`, every other row is written. When the
// server refuses a whole statement with a permanent error, its rows are
// retried one by one to find the rows at fault (a merged row rejects every row it came from).

import type { Batch } from '@kwdb-connect/formats';
import type pg from 'pg';
import type { Dialect } from './dialects/dialect';
import type { KwdbClientError } from './errors';
import { classifyError } from './errors';
import { checkBatchShape, prepareRows, type CoerceFn } from './schema/check';
import { mergeRowsByKey, originsOf, type PendingRow } from './schema/merge';
import { withTimestampColumn } from './schema/timestamp-column';
import type { RejectedRow, TableSchema, WriteResult } from './types';

export interface WriteContext {
  pool: pg.Pool;
  dialect: Dialect;
  batchSize: number;
  coerce: CoerceFn;
  /**
   * The real schema for a batch's table: created when the batch allows, with the batch's new
   * columns added when it has canAddColumns; throws a KwdbClientError.
   */
  schemaFor(batch: Batch): Promise<TableSchema>;
  /** Forget a cached schema (after the server said the table or a column is gone). */
  forget(table: string): void;
  /** Epoch nanoseconds for line_influxdb rows without a timestamp (one stamp per call). */
  now(): bigint;
}

/** Splits `items` into chunks of at most `size`. */
export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Rejects, or rethrows when retriable (a retriable error is never a per-record error). */
function permanent(e: unknown): KwdbClientError {
  const error = classifyError(e);
  if (error.retriable) throw error;
  return error;
}

export async function writeBatches(ctx: WriteContext, batches: Batch[]): Promise<WriteResult> {
  const rejected: RejectedRow[] = [];
  const rejectBatch = (b: number, error: KwdbClientError): void =>
    batches[b]!.rows.forEach((_, row) => rejected.push({ batch: b, row, error }));
  const stamp = ctx.now();

  // 1. Every batch's table, in order: created, columns added. A later batch may add columns, so
  //    the schema a table ends with (the last one seen) is the one every batch is checked against.
  const ready: Array<{ b: number; batch: Batch; table: string }> = [];
  const latest = new Map<string, TableSchema>();
  for (const [b, batch] of batches.entries()) {
    try {
      const schema = await ctx.schemaFor(batch);
      latest.set(schema.name, schema);
      ready.push({ b, batch: withTimestampColumn(batch, schema, stamp), table: schema.name });
    } catch (e) {
      rejectBatch(b, permanent(e));
    }
  }

  // 2. Check and prepare the rows against their table's final schema.
  const byTable = new Map<string, PendingRow[]>();
  for (const { b, batch, table } of ready) {
    const schema = latest.get(table)!;
    try {
      checkBatchShape(batch, schema);
    } catch (e) {
      rejectBatch(b, permanent(e));
      continue;
    }
    const prepared = prepareRows(batch, schema, ctx.coerce);
    for (const r of prepared.rejected) rejected.push({ batch: b, row: r.index, error: r.error });
    let pending = byTable.get(table);
    if (!pending) byTable.set(table, (pending = []));
    for (const r of prepared.rows) pending.push({ batch: b, row: r.index, values: r.values });
  }

  // 3. Merge rows of one key, then write.
  let rowsWritten = 0;
  const rejectRow = (row: PendingRow, error: KwdbClientError): void => {
    for (const origin of originsOf(row)) rejected.push({ ...origin, error });
  };
  for (const [table, rows] of byTable) {
    const schema = latest.get(table)!;
    for (const part of chunk(mergeRowsByKey(schema, rows), ctx.batchSize)) {
      try {
        rowsWritten += await ctx.dialect.insert(
          ctx.pool,
          schema,
          part.map((r) => r.values),
        );
      } catch (e) {
        const error = permanent(e);
        if (error.code === 'TABLE_NOT_FOUND' || /SQLSTATE 42703/.test(error.message)) ctx.forget(schema.name);
        if (part.length === 1) {
          rejectRow(part[0]!, error);
          continue;
        }
        for (const one of part) {
          try {
            rowsWritten += await ctx.dialect.insert(ctx.pool, schema, [one.values]);
          } catch (e2) {
            rejectRow(one, permanent(e2));
          }
        }
      }
    }
  }
  rejected.sort((x, y) => x.batch - y.batch || x.row - y.row);
  return { rowsWritten, rejected };
}
