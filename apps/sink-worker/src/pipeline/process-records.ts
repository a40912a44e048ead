// One consumed batch of one partition: decode every record, write the good rows, and report which
// records failed and why. No Kafka and no database here: both are passed in, so the decisions are
// tested with small fakes. The caller decides what the failures mean (errors/policy.ts) and what to
// commit (pipeline/offsets.ts).
import type { Batch } from '@kwdb-connect/formats';
import type { RecordFailure } from './outcome';
import { firstFailurePerRecord } from './outcome';
import { planWrite, rowsWrittenPerTable, type DecodedRecord } from './plan-write';
import type { SinkRecord } from './record';

export interface DecodeOutput {
  batches: Batch[];
  errors: Error[];
}

export interface WriteOutput {
  rejected: { batch: number; row: number; error: Error }[];
}

export interface ProcessDeps {
  decode: (record: SinkRecord) => DecodeOutput;
  /**
   * Writes the batches (retrying transient errors); throws when the write cannot be done at all.
   * Called once per chunk of about batch.size decoded rows, in record order.
   */
  write: (batches: Batch[]) => Promise<WriteOutput>;
  batchSize: number;
  /**
   * errors.tolerance=none: records after the first undecodable one are neither decoded nor written
   * (the task stops there, as Kafka Connect stops at a converter failure).
   */
  stopAtFirstFailure: boolean;
}

export interface ProcessResult {
  /** Every failure, in record order (a record may have several). */
  failures: RecordFailure[];
  /** The first failure of each failed record, in record order. */
  firstFailures: RecordFailure[];
  /** Rows the database acknowledged, per table. */
  rowsPerTable: Map<string, number>;
  /** Records whose every row was written (or that had no rows, e.g. a tombstone). */
  written: boolean[];
}

export async function processRecords(
  records: readonly SinkRecord[],
  deps: ProcessDeps,
): Promise<ProcessResult> {
  const failures: RecordFailure[] = [];
  const rowsPerTable = new Map<string, number>();
  // Decoded rows are written as soon as batch.size of them are pending, not after the whole
  // partition batch is decoded: each chunk's rows (and the client's statement buffers) die young
  // instead of surviving several scavenges into the old generation (peak RSS, docs/sink-worker.md).
  let decoded: DecodedRecord[] = [];
  let pendingRows = 0;
  const flush = async (): Promise<void> => {
    const plan = planWrite(decoded, deps.batchSize);
    decoded = [];
    pendingRows = 0;
    if (plan.batches.length === 0) return;
    const { rejected } = await deps.write(plan.batches);
    for (const r of rejected) {
      const index = plan.origins[r.batch]?.[r.row];
      if (index !== undefined) failures.push({ index, stage: 'write', error: r.error });
    }
    for (const [table, rows] of rowsWrittenPerTable(plan, rejected))
      rowsPerTable.set(table, (rowsPerTable.get(table) ?? 0) + rows);
  };
  for (const [index, record] of records.entries()) {
    // tolerance=none: nothing after the first failure (decode, or a row rejected in an earlier chunk).
    if (deps.stopAtFirstFailure && failures.length > 0) break;
    if (record.value === null) continue; // a tombstone carries no rows: nothing to write
    let output: DecodeOutput;
    try {
      output = deps.decode(record);
    } catch (error) {
      failures.push({ index, stage: 'decode', error: asError(error) });
      continue;
    }
    for (const error of output.errors) failures.push({ index, stage: 'decode', error });
    // A partly bad record under tolerance=none: none of its rows are written either.
    if (deps.stopAtFirstFailure && output.errors.length > 0) break;
    decoded.push({ index, batches: output.batches });
    for (const batch of output.batches) pendingRows += batch.rows.length;
    if (pendingRows >= deps.batchSize) await flush();
  }
  await flush();

  failures.sort((a, b) => a.index - b.index);
  const written = records.map(() => true);
  for (const f of failures) written[f.index] = false;
  const firstFailed = failures[0]?.index;
  if (deps.stopAtFirstFailure && firstFailed !== undefined) written.fill(false, firstFailed);
  return { failures, firstFailures: firstFailurePerRecord(failures), rowsPerTable, written };
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
