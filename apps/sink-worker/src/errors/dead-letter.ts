// Dead letter records: the original key, value and headers, plus Kafka Connect's error context
// headers (`__connect.errors.*`, as DeadLetterQueueReporter writes them) when
// errors.deadletterqueue.context.headers.enable is true.
import type { HeaderValue, SinkRecord } from '../pipeline/record';
import type { FailureStage } from '../pipeline/outcome';

export const ERROR_HEADER_PREFIX = '__connect.errors.';

/** The task class the original connector names in `__connect.errors.class.name`. */
export const SINK_TASK_CLASS = 'com.kaiwudb.kafka.connect.sink.KwdbSinkTask';

export interface DeadLetterContext {
  connector: string;
  taskId: number;
  contextHeaders: boolean;
}

export interface DeadLetterMessage {
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | string | (Buffer | string)[]>;
  timestamp: string;
}

/** Kafka Connect's stage names: decoding a record is the task's own work here, as in the original connector. */
export function stageName(_stage: FailureStage): string {
  return 'TASK_PUT';
}

/** The class name shown for an error: its name, with its stable code when it has one. */
export function exceptionClassName(error: Error): string {
  return error.name || 'Error';
}

export function exceptionMessage(error: Error, detail?: string): string {
  const code = (error as { code?: unknown }).code;
  const text = detail ?? error.message;
  return typeof code === 'string' && !text.startsWith(code) ? `${code}: ${text}` : text;
}

export function deadLetterMessage(
  record: SinkRecord,
  failure: { stage: FailureStage; error: Error; detail?: string },
  context: DeadLetterContext,
): DeadLetterMessage {
  const headers: DeadLetterMessage['headers'] = {};
  for (const [name, value] of Object.entries(record.headers)) {
    if (value !== undefined) headers[name] = value as Exclude<HeaderValue, undefined>;
  }
  if (context.contextHeaders) {
    const h = (name: string, value: string): void => {
      headers[ERROR_HEADER_PREFIX + name] = value;
    };
    h('topic', record.topic);
    h('partition', String(record.partition));
    h('offset', record.offset);
    h('connector.name', context.connector);
    h('task.id', String(context.taskId));
    h('stage', stageName(failure.stage));
    h('class.name', SINK_TASK_CLASS);
    h('exception.class.name', exceptionClassName(failure.error));
    h('exception.message', exceptionMessage(failure.error, failure.detail));
    h('exception.stacktrace', failure.error.stack ?? String(failure.error));
  }
  return { key: record.key, value: record.value, headers, timestamp: record.timestamp };
}
