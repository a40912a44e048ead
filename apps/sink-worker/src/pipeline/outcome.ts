// What happened to each record of one consumed batch, and the decisions that follow from it.

/** Why a record could not be stored: `decode` (libs/formats) or `write` (the database refused it). */
export type FailureStage = 'decode' | 'write';

export interface RecordFailure {
  /** Index of the record in the consumed batch. */
  index: number;
  stage: FailureStage;
  error: Error;
}

/**
 * Keeps the first failure of each record (a record can fail several ways: several bad lines,
 * several rejected rows), in record order.
 */
export function firstFailurePerRecord(failures: readonly RecordFailure[]): RecordFailure[] {
  const byIndex = new Map<number, RecordFailure>();
  for (const failure of failures) {
    if (!byIndex.has(failure.index)) byIndex.set(failure.index, failure);
  }
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

/**
 * Joins the errors of one record into one Error for the trace and the dead letter headers:
 * the first error, with "(and N more)" when there are several.
 */
export function describeFailures(failures: readonly RecordFailure[], index: number): string {
  const mine = failures.filter((f) => f.index === index);
  if (mine.length === 0) return '';
  const first = mine[0]!.error;
  const text = first.toString === Error.prototype.toString ? first.message : String(first);
  return mine.length === 1 ? text : `${text} (and ${mine.length - 1} more error(s) in this record)`;
}
