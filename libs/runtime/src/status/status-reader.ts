// Follows the status topic and answers "what state is connector X and its tasks in".
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import {
  CompactedTopicReader,
  DEFAULT_CATCH_UP_TIMEOUT_MS,
  type TopicRecord,
} from '../kafka/compacted-topic-reader';
import type { TopicStatusValue } from './status-record';
import { StatusTable, type ConnectorStatus } from './status-table';

export interface StatusReaderOptions {
  kafka: Kafka;
  topic: string;
  /** Malformed records are logged here and skipped. */
  logger?: Logger;
}

export class StatusReader {
  private readonly table = new StatusTable();
  private readonly reader: CompactedTopicReader;
  private readonly logger: Logger | undefined;

  constructor(options: StatusReaderOptions) {
    this.logger = options.logger;
    this.reader = new CompactedTopicReader({
      kafka: options.kafka,
      topic: options.topic,
      groupIdPrefix: 'kwdb-connect-status-reader',
      onRecord: (record) => this.apply(record),
    });
  }

  async start(): Promise<void> {
    await this.reader.start();
  }

  /** Resolves once every status written before the call is reflected by get(). */
  async waitForCaughtUp(timeoutMs = DEFAULT_CATCH_UP_TIMEOUT_MS): Promise<void> {
    await this.reader.readToEnd(timeoutMs);
  }

  /** The latest known status of a connector and its tasks; undefined if none was published. */
  get(connector: string): ConnectorStatus | undefined {
    return this.table.get(connector);
  }

  /** The topics the connector's tasks recorded as used, sorted by name. */
  topics(connector: string): TopicStatusValue[] {
    return this.table.topics(connector);
  }

  /** Connectors with any published status. */
  connectors(): string[] {
    return this.table.connectors();
  }

  /** Why the reader stopped following the topic for good; undefined while it follows it. */
  failure(): Error | undefined {
    return this.reader.failure();
  }

  async close(): Promise<void> {
    await this.reader.close();
  }

  private apply(record: TopicRecord): void {
    if (record.key === null) return;
    try {
      this.table.apply(record.key, record.value);
    } catch (error) {
      this.logger?.warn(
        { err: error, partition: record.partition, offset: record.offset, key: record.key },
        'skipping malformed status record',
      );
    }
  }
}
