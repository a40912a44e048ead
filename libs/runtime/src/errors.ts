// Typed errors of libs/runtime. Every error has a stable `code` (never reworded) that callers
// match on, `retriable` as data, and the underlying `cause` when there is one.

export const RUNTIME_ERROR_CODES = [
  /** A status-topic record whose key or value does not follow the status record format. */
  'STATUS_RECORD_INVALID',
  /** A source-offset record whose key or value does not follow the offset record format. */
  'OFFSET_RECORD_INVALID',
  /** An internal topic exists but is not configured as required (e.g. not compacted). */
  'TOPIC_MISCONFIGURED',
  /** A topic's partitions did not all get a leader in time after it was created. */
  'TOPIC_NOT_READY',
  /** A reader did not reach the end of its topic within the allowed time. */
  'CATCH_UP_TIMEOUT',
  /** A reader or store was used before start() or after close(). */
  'NOT_STARTED',
  /** The metrics/health HTTP server could not listen on its address. */
  'HTTP_LISTEN_FAILED',
  /** The Kafka client cannot list high watermarks (an unsupported kafkajs version, or no offsets). */
  'HIGH_WATERMARK_UNAVAILABLE',
] as const;

export type RuntimeErrorCode = (typeof RUNTIME_ERROR_CODES)[number];

export class RuntimeError extends Error {
  readonly code: RuntimeErrorCode;
  readonly retriable: boolean;

  constructor(
    code: RuntimeErrorCode,
    message: string,
    options: { retriable?: boolean; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RuntimeError';
    this.code = code;
    this.retriable = options.retriable ?? false;
  }
}

/** A status-topic record could not be parsed. */
export class StatusRecordError extends RuntimeError {
  constructor(message: string) {
    super('STATUS_RECORD_INVALID', message);
    this.name = 'StatusRecordError';
  }
}

/** A source-offset record could not be parsed. */
export class OffsetRecordError extends RuntimeError {
  constructor(message: string) {
    super('OFFSET_RECORD_INVALID', message);
    this.name = 'OffsetRecordError';
  }
}

/** An internal topic exists with the wrong configuration. */
export class TopicMisconfiguredError extends RuntimeError {
  constructor(message: string) {
    super('TOPIC_MISCONFIGURED', message);
    this.name = 'TopicMisconfiguredError';
  }
}

/** A topic reader did not catch up in time; retrying later may succeed. */
export class CatchUpTimeoutError extends RuntimeError {
  constructor(message: string, cause?: unknown) {
    super('CATCH_UP_TIMEOUT', message, { retriable: true, cause });
    this.name = 'CatchUpTimeoutError';
  }
}

/** A reader, publisher or store was used before start()/connect() or after close(). */
export class NotStartedError extends RuntimeError {
  constructor(message: string) {
    super('NOT_STARTED', message);
    this.name = 'NotStartedError';
  }
}

/** The HTTP server could not bind its address. */
export class HttpListenError extends RuntimeError {
  constructor(message: string, cause: unknown) {
    super('HTTP_LISTEN_FAILED', message, { cause });
    this.name = 'HttpListenError';
  }
}

/** High watermarks could not be listed (see kafka/high-watermarks.ts). */
export class HighWatermarkUnavailableError extends RuntimeError {
  constructor(message: string) {
    super('HIGH_WATERMARK_UNAVAILABLE', message);
    this.name = 'HighWatermarkUnavailableError';
  }
}

/** A topic's partitions did not all get a leader in time. */
export class TopicNotReadyError extends RuntimeError {
  constructor(message: string, cause?: unknown) {
    super('TOPIC_NOT_READY', message, { retriable: true, cause });
    this.name = 'TopicNotReadyError';
  }
}
