// What a table loop does with an error of one step (query, encode, produce). Pure.
//
// Transient errors (a lost database connection, a Kafka broker away) are retried with backoff;
// permanent ones fail the task, since retrying cannot change their outcome: invalid cursors and
// topic names, rows the format cannot express, non-retriable SQL errors, a fenced transactional
// producer, and records Kafka refuses for their size or shape.
import { FormatError } from '@kwdb-connect/formats';
import { KwdbClientError, TableNotFoundError } from '@kwdb-connect/kwdb-client';
import { SourceWorkerError } from '../errors';

/** Kafka errors that mean another producer took over this task's transactional id. */
function isFenced(error: unknown): boolean {
  const type = (error as { type?: string } | null)?.type;
  return (
    type === 'PRODUCER_FENCED' ||
    type === 'INVALID_PRODUCER_EPOCH' ||
    type === 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED'
  );
}

/** Kafka errors refusing a record itself: sending it again is refused again. */
const REFUSED_RECORD = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD']);

const RAISE_LIMIT_ADVICE =
  "Raise the topic's max.message.bytes (and the broker's message.max.bytes when it is lower)";

/**
 * The Kafka error type refusing a record (MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE, INVALID_RECORD)
 * on the error itself, on its cause (kafkajs wraps broker errors in KafkaJSNumberOfRetriesExceeded
 * and KafkaJSNonRetriableError) or inside an aggregate's `errors`; undefined for any other error.
 */
export function refusedRecordType(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 3) return undefined;
  const e = error as { type?: unknown; errors?: unknown; cause?: unknown };
  if (typeof e.type === 'string' && REFUSED_RECORD.has(e.type)) return e.type;
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const found = refusedRecordType(inner, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return refusedRecordType(e.cause, depth + 1);
}

/** Where a step ran: named in the errors it raises. */
export interface StepPlace {
  table: string;
  topic: string | undefined;
}

/**
 * The error to fail the task with, or undefined when `error` is transient (retry it).
 * A dropped table's TableNotFoundError is returned as it is (the loop ends without failing).
 */
export function permanentError(error: unknown, place: StepPlace): unknown {
  if (error instanceof TableNotFoundError) return error;
  if (error instanceof SourceWorkerError || error instanceof FormatError) return error;
  if (error instanceof KwdbClientError) return error.retriable ? undefined : error;
  if (isFenced(error)) return error;
  const refused = refusedRecordType(error);
  if (refused !== undefined) {
    const tooLarge = refused !== 'INVALID_RECORD';
    const code = tooLarge ? 'RECORD_TOO_LARGE' : 'RECORD_REFUSED';
    const reason = error instanceof Error ? error.message : String(error);
    return new SourceWorkerError(
      code,
      `record refused (${code}): Kafka answered ${refused} (${reason}) to a record of table ${place.table} ` +
        `(topic ${place.topic ?? 'unknown'}); sending it again cannot succeed. ` +
        (tooLarge
          ? `${RAISE_LIMIT_ADVICE} (the record was not identified, so errors.tolerance=all cannot skip it)`
          : "The broker's log says why it refused the record"),
      { cause: error },
    );
  }
  return undefined;
}

export interface TooLargeRecord {
  table: string;
  topic: string;
  /** The row's timestamp in ns (text). */
  rowTs: string;
  key: string;
  /** The record's estimated size (`recordBytes`). */
  bytes: number;
  /** The topic's max.message.bytes. */
  maxMessageBytes: number;
}

/** The task-failing error for one record larger than its topic accepts (errors.tolerance=none). */
export function recordTooLargeError(record: TooLargeRecord): SourceWorkerError {
  return new SourceWorkerError(
    'RECORD_TOO_LARGE',
    `record too large (RECORD_TOO_LARGE): table ${record.table}, row with timestamp ${record.rowTs} ns, ` +
      `key ${record.key}: the record is ${record.bytes} bytes, above the ${record.maxMessageBytes} bytes ` +
      `topic ${record.topic} accepts (max.message.bytes). ${RAISE_LIMIT_ADVICE}, ` +
      'or set errors.tolerance=all to skip such records',
  );
}
