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
  /** Writes the batches (retrying transient errors); throws when the write cannot be done at all. */
  write: (batches: Batch[]) => Promise<WriteOutput>;
  batchSize: number;
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
  const decoded: DecodedRecord[] = [];
  records.forEach((record, index) => {
    if (record.value === null) return; // a tombstone carries no rows: nothing to write
    let output: DecodeOutput;
    try {
      output = deps.decode(record);
    } catch (error) {
      failures.push({ index, stage: 'decode', error: asError(error) });
      return;
    }
    for (const error of output.errors) failures.push({ index, stage: 'decode', error });
    decoded.push({ index, batches: output.batches });
  });

  const plan = planWrite(decoded, deps.batchSize);
  let rowsPerTable = new Map<string, number>();
  if (plan.batches.length > 0) {
    const { rejected } = await deps.write(plan.batches);
    for (const r of rejected) {
      const index = plan.origins[r.batch]?.[r.row];
      if (index !== undefined) failures.push({ index, stage: 'write', error: r.error });
    }
    rowsPerTable = rowsWrittenPerTable(plan, rejected);
  }
  failures.sort((a, b) => a.index - b.index);
  const written = records.map(() => true);
  for (const f of failures) written[f.index] = false;
  return { failures, firstFailures: firstFailurePerRecord(failures), rowsPerTable, written };
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
