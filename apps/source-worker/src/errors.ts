// Typed errors of the source worker, each with a stable code.

export type SourceWorkerErrorCode =
  | 'CONFIG_INVALID'
  | 'TOPIC_NAME_EMPTY'
  | 'TOPIC_NAME_INVALID'
  | 'CURSOR_INVALID'
  | 'TIMESTAMP_INITIAL_INVALID'
  | 'CONFIG_FILE_UNREADABLE'
  | 'CONFIG_FILE_INVALID';

export class SourceWorkerError extends Error {
  readonly code: SourceWorkerErrorCode;

  constructor(code: SourceWorkerErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SourceWorkerError';
    this.code = code;
  }
}
