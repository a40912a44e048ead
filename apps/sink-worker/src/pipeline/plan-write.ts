// Turns the decoded records of one consumed batch into the batches to write: rows of the same table
// (and the same column/tag definitions) are merged across records, then split into write batches of
// at most batch.size rows. Every row remembers the record it came from, so a row the database
// rejects is traced back to its Kafka record.
import type { Batch } from '@kwdb-connect/formats';

export interface DecodedRecord {
  /** Index of the record in the consumed batch. */
  index: number;
  /** The good rows of the record, one batch per table. */
  batches: readonly Batch[];
}

export interface WritePlan {
  /** What to hand to the database client, each with at most `batchSize` rows. */
  batches: Batch[];
  /** origins[b][r]: index of the record that row r of batches[b] came from. */
  origins: number[][];
}

/** Batches merge only when everything but their rows is the same. */
export function mergeKey(batch: Batch): string {
  return JSON.stringify([batch.table, batch.precision, batch.canCreateTable, batch.columns, batch.tags]);
}

export function planWrite(decoded: readonly DecodedRecord[], batchSize: number): WritePlan {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`batch.size must be >= 1, got ${batchSize}`);
  const merged = new Map<string, { batch: Batch; origins: number[] }>();
  for (const record of decoded) {
    for (const batch of record.batches) {
      if (batch.rows.length === 0) continue;
      const key = mergeKey(batch);
      let group = merged.get(key);
      if (group === undefined) {
        group = { batch: { ...batch, rows: [] }, origins: [] };
        merged.set(key, group);
      }
      for (const row of batch.rows) {
        group.batch.rows.push(row);
        group.origins.push(record.index);
      }
    }
  }
  const plan: WritePlan = { batches: [], origins: [] };
  for (const { batch, origins } of merged.values()) {
    for (let start = 0; start < batch.rows.length; start += batchSize) {
      plan.batches.push({ ...batch, rows: batch.rows.slice(start, start + batchSize) });
      plan.origins.push(origins.slice(start, start + batchSize));
    }
  }
  return plan;
}

/** Rows per table of a plan, minus the rejected rows: what the database acknowledged, per table. */
export function rowsWrittenPerTable(
  plan: WritePlan,
  rejected: readonly { batch: number; row: number }[],
): Map<string, number> {
  const rejectedPerBatch = new Map<number, number>();
  for (const r of rejected) rejectedPerBatch.set(r.batch, (rejectedPerBatch.get(r.batch) ?? 0) + 1);
  const perTable = new Map<string, number>();
  plan.batches.forEach((batch, b) => {
    const written = batch.rows.length - (rejectedPerBatch.get(b) ?? 0);
    perTable.set(batch.table, (perTable.get(batch.table) ?? 0) + written);
  });
  return perTable;
}
