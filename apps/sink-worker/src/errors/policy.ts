// errors.tolerance: what a batch with failed records leads to.
//   none (Kafka Connect's default): the task fails at the first failed record; only the records
//        before it may be committed.
//   all: every failed record is dead-lettered (or only skipped, without a dead letter topic) and
//        the batch goes on: all of its records are done.
import type { ErrorsTolerance } from '@kwdb-connect/connector-config';
import type { RecordFailure } from '../pipeline/outcome';

export type ToleranceDecision =
  | { kind: 'ok' }
  | { kind: 'fail'; failure: RecordFailure }
  | { kind: 'dead-letter'; failures: RecordFailure[] };

/** @param failures the first failure of each failed record, in record order */
export function decideTolerance(
  tolerance: ErrorsTolerance,
  failures: readonly RecordFailure[],
): ToleranceDecision {
  if (failures.length === 0) return { kind: 'ok' };
  if (tolerance === 'none') return { kind: 'fail', failure: failures[0]! };
  return { kind: 'dead-letter', failures: [...failures] };
}
