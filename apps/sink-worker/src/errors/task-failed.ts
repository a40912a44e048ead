// The error a task fails with (errors.tolerance=none, retries used up, a fatal database error).
// Its message names the topic, partition and offset of the record at fault and the reason, so the
// FAILED trace in the status topic says exactly where to look.
import type { SinkRecord } from '../pipeline/record';
import { recordName } from '../pipeline/record';

export type TaskFailureCode = 'RECORD_FAILED' | 'WRITE_FAILED' | 'TASK_CRASHED';

export class TaskFailedError extends Error {
  readonly code: TaskFailureCode;
  readonly topic: string | undefined;
  readonly partition: number | undefined;
  readonly offset: string | undefined;

  constructor(
    code: TaskFailureCode,
    message: string,
    where: Pick<SinkRecord, 'topic' | 'partition' | 'offset'> | undefined,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'TaskFailedError';
    this.code = code;
    this.topic = where?.topic;
    this.partition = where?.partition;
    this.offset = where?.offset;
  }
}

/** errors.tolerance=none and a record failed: the task stops at that record. */
export function recordFailedError(
  record: SinkRecord,
  stage: string,
  reason: string,
  cause: unknown,
): TaskFailedError {
  return new TaskFailedError(
    'RECORD_FAILED',
    `record ${recordName(record)} (topic ${record.topic}, partition ${record.partition}, offset ${record.offset}) ` +
      `failed in stage ${stage} and errors.tolerance=none: ${reason}`,
    record,
    cause,
  );
}

/** The trace published with FAILED: this error's stack, then the cause chain. */
export function failureTrace(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth += 1) {
    parts.push(
      current instanceof Error ? (current.stack ?? `${current.name}: ${current.message}`) : String(current),
    );
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join('\nCaused by: ');
}
