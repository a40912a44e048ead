// Writes batches: check each against its table, group checked rows by table,
// send them in statements of at most batch.size rows. Replaying the same rows
// is harmless: KWDB deduplicates (timestamp, primary tags) by its default
// `override` rule, the postgres dialect upserts with the same meaning.
//
// Errors: a retriable error (connection lost, ...) is thrown and nothing is
// reported as written for the statement that failed; the caller retries the
// whole call (idempotent). A permanent error is per record: the batch or row
// at fault is reported in `rejected`, every other row is written. When the
// server refuses a whole statement with a permanent error, its rows are
// retried one by one to find the rows at fault.

import type { Batch } from '@kwdb-connect/formats';
import type pg from 'pg';
import type { Dialect } from './dialects/dialect';
import type { KwdbClientError } from './errors';
import { classifyError } from './errors';
import { checkBatchShape, prepareRows, type CoerceFn } from './schema/check';
import type { PreparedRow, RejectedRow, TableSchema, WriteResult } from './types';

export interface WriteContext {
  pool: pg.Pool;
  dialect: Dialect;
  batchSize: number;
  coerce: CoerceFn;
  /** The real schema for a batch's table (created when the batch allows); throws a KwdbClientError. */
  schemaFor(batch: Batch): Promise<TableSchema>;
  /** Forget a cached schema (after the server said the table or a column is gone). */
  forget(table: string): void;
}

interface Pending {
  schema: TableSchema;
  rows: Array<{ batch: number; row: number; values: PreparedRow }>;
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
  const byTable = new Map<string, Pending>();
  for (const [b, batch] of batches.entries()) {
    let schema: TableSchema;
    try {
      schema = await ctx.schemaFor(batch);
      checkBatchShape(batch, schema);
    } catch (e) {
      const error = permanent(e);
      batch.rows.forEach((_, row) => rejected.push({ batch: b, row, error }));
      continue;
    }
    const prepared = prepareRows(batch, schema, ctx.coerce);
    for (const r of prepared.rejected) rejected.push({ batch: b, row: r.index, error: r.error });
    let pending = byTable.get(schema.name);
    if (!pending) byTable.set(schema.name, (pending = { schema, rows: [] }));
    for (const r of prepared.rows) pending.rows.push({ batch: b, row: r.index, values: r.values });
  }

  let rowsWritten = 0;
  for (const { schema, rows } of byTable.values()) {
    for (const part of chunk(rows, ctx.batchSize)) {
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
          rejected.push({ batch: part[0]!.batch, row: part[0]!.row, error });
          continue;
        }
        for (const one of part) {
          try {
            rowsWritten += await ctx.dialect.insert(ctx.pool, schema, [one.values]);
          } catch (e2) {
            rejected.push({ batch: one.batch, row: one.row, error: permanent(e2) });
          }
        }
      }
    }
  }
  rejected.sort((x, y) => x.batch - y.batch || x.row - y.row);
  return { rowsWritten, rejected };
}
