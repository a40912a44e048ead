// The typed, parsed connector configuration. Built only by parseConnectorConfig; always frozen.
import type { ConnectorKind } from './connector-class';
import type { Dialect, ErrorsTolerance, MessageFormat, SslMode, TimestampPrecision } from './definitions';
import type { Secret } from './secret';

export type { ConnectorKind };

/** `connection.*` and `dialect`. */
export interface ConnectionConfig {
  /** `connection.url`, shape-checked (jdbc:kaiwudb:// or postgres(ql)://); kwdb-client parses it. */
  readonly url: string;
  readonly user: string | undefined;
  /** `connection.password`; `.reveal()` gives the string. Undefined when not set. */
  readonly password: Secret | undefined;
  readonly database: string;
  readonly attempts: number;
  readonly backoffMs: number;
  readonly sslMode: SslMode;
  readonly sslRootCert: string | undefined;
  readonly sslCert: string | undefined;
  readonly sslKey: string | undefined;
  readonly poolMax: number;
  readonly dialect: Dialect;
}

/** Kafka Connect's `errors.*` options shared by both connectors. */
export interface ErrorsConfig {
  readonly tolerance: ErrorsTolerance;
  /** `errors.retry.timeout`: 0 no retries, -1 forever. */
  readonly retryTimeoutMs: number;
  readonly retryDelayMaxMs: number;
  readonly logEnable: boolean;
  readonly logIncludeMessages: boolean;
}

/** The sink adds the dead letter queue options. */
export interface SinkErrorsConfig extends ErrorsConfig {
  /** Empty string: no dead letter queue. */
  readonly deadLetterQueueTopicName: string;
  readonly deadLetterQueueTopicReplicationFactor: number;
  readonly deadLetterQueueContextHeadersEnable: boolean;
}

interface CommonConfig {
  readonly name: string;
  /** The guide's full class name, whatever alias was written. */
  readonly connectorClass: string;
  readonly tasksMax: number;
  /** Absent or org.apache.kafka.connect.storage.StringConverter. */
  readonly keyConverter: string | undefined;
  readonly valueConverter: string | undefined;
  readonly connection: ConnectionConfig;
  readonly timestampPrecision: TimestampPrecision;
  /** Keys this connector does not use, kept as given (Kafka Connect passes them through). */
  readonly passthrough: Readonly<Record<string, unknown>>;
}

export interface SinkConfig extends CommonConfig {
  readonly kind: 'sink';
  /** `topics`; empty when `topics.regex` is used instead (exactly one of the two is set). */
  readonly topics: readonly string[];
  /** `topics.regex`, or undefined when `topics` is used. */
  readonly topicsRegex: string | undefined;
  readonly protocolType: MessageFormat;
  readonly maxRetries: number;
  readonly retryBackoffMs: number;
  readonly batchSize: number;
  readonly errors: SinkErrorsConfig;
}

export interface SourceConfig extends CommonConfig {
  readonly kind: 'source';
  readonly outFormat: MessageFormat;
  readonly topicPrefix: string;
  readonly topicDelimiter: string;
  readonly topicPerStable: boolean;
  readonly topicIgnoreDb: boolean;
  /** `yyyy-MM-dd HH:mm:ss` as written (validated), or undefined: read every row. */
  readonly timestampInitial: string | undefined;
  readonly pollIntervalMs: number;
  readonly fetchMaxRows: number;
  readonly queryIntervalMs: number;
  readonly readMethod: 'query';
  readonly timestampDelayIntervalMs: number;
  readonly exactlyOnceSourceSupport: 'enabled' | 'disabled';
  /** record.timestamp: the Kafka record timestamp, produce time (default) or the row's time. */
  readonly recordTimestamp: 'produce_time' | 'row_time';
  readonly errors: ErrorsConfig;
}

export type ConnectorConfig = SinkConfig | SourceConfig;
