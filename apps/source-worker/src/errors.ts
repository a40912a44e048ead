// Typed errors of the source worker, each with a stable code.

export type SourceWorkerErrorCode =
  | 'CONFIG_INVALID'
  | 'TOPIC_NAME_EMPTY'
  | 'TOPIC_NAME_INVALID'
  | 'CURSOR_INVALID'
  | 'TIMESTAMP_INITIAL_INVALID'
  | 'CONFIG_FILE_UNREADABLE'
  | 'CONFIG_FILE_INVALID'
  /** A record larger than its topic's max.message.bytes (Kafka can never accept it). */
  | 'RECORD_TOO_LARGE'
  /** A record Kafka refused as invalid (INVALID_RECORD): sending it again cannot succeed. */
  | 'RECORD_REFUSED';

export class SourceWorkerError extends Error {
  readonly code: SourceWorkerErrorCode;

  constructor(code: SourceWorkerErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SourceWorkerError';
    this.code = code;
  }
}
