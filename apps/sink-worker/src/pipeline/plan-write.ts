// Turns the decoded records of one consumed batch into the batches to write: rows of the same table
// (and the same column/tag definitions) are merged across records, then split into write batches of
// at most batch.size rows. Every row remembers the record it came from, so a row the database
// rejects is traced back to its Kafka record.
import type { Batch, ColumnDef, TagDef } from '@kwdb-connect/formats';

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

/** A column or tag definition's fields; an absent field and an undefined one are the same. */
function sameDef(a: ColumnDef | TagDef, b: ColumnDef | TagDef): boolean {
  return (
    a.name === b.name &&
    a.type === b.type &&
    a.length === b.length &&
    a.inferred === b.inferred &&
    a.nullable === b.nullable &&
    (a as Partial<TagDef>).primary === (b as Partial<TagDef>).primary
  );
}

function sameDefs(a: readonly (ColumnDef | TagDef)[], b: readonly (ColumnDef | TagDef)[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameDef(a[i]!, b[i]!)) return false;
  return true;
}

/**
 * Batches merge only when everything but their rows is the same. Compared field by field, not
 * through a JSON key: this runs once per decoded message, and building the key was 4 % of the
 * sink worker's CPU on the guide's message (issue 17).
 */
export function sameDefinitions(a: Batch, b: Batch): boolean {
  return (
    a.table === b.table &&
    a.precision === b.precision &&
    a.canCreateTable === b.canCreateTable &&
    sameDefs(a.columns, b.columns) &&
    sameDefs(a.tags, b.tags)
  );
}

export function planWrite(decoded: readonly DecodedRecord[], batchSize: number): WritePlan {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`batch.size must be >= 1, got ${batchSize}`);
  // Groups in order of first appearance; per table, its groups (usually one).
  const groups: { batch: Batch; origins: number[] }[] = [];
  const byTable = new Map<string, { batch: Batch; origins: number[] }[]>();
  for (const record of decoded) {
    for (const batch of record.batches) {
      if (batch.rows.length === 0) continue;
      let ofTable = byTable.get(batch.table);
      if (ofTable === undefined) byTable.set(batch.table, (ofTable = []));
      let group = ofTable.find((g) => sameDefinitions(g.batch, batch));
      if (group === undefined) {
        group = { batch: { ...batch, rows: [] }, origins: [] };
        ofTable.push(group);
        groups.push(group);
      }
      for (const row of batch.rows) {
        group.batch.rows.push(row);
        group.origins.push(record.index);
      }
    }
  }
  const plan: WritePlan = { batches: [], origins: [] };
  for (const { batch, origins } of groups) {
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
