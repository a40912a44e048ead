// Source offsets (per-table cursors) in a compacted Kafka topic. Reads follow the topic with
// read_committed, so offsets written in an aborted transaction are never seen.
import type { Kafka, Producer, Transaction } from 'kafkajs';
import type { Logger } from 'pino';
import { NotStartedError } from '../errors';
import {
  CompactedTopicReader,
  DEFAULT_CATCH_UP_TIMEOUT_MS,
  type TopicRecord,
} from '../kafka/compacted-topic-reader';
import { encodeOffsetKey, encodeOffsetValue, type SourceOffset } from './offset-record';
import { OffsetTable } from './offset-table';

export interface OffsetStoreOptions {
  kafka: Kafka;
  topic: string;
  /** Malformed records are logged here and skipped. */
  logger?: Logger;
  /** How long readAll() waits for the topic's end; default 30 s. */
  catchUpTimeoutMs?: number;
}

export interface WriteOffsetOptions {
  /** Send the offset inside this transaction, together with the records it covers (exactly-once). */
  transaction?: Transaction;
}

export class OffsetStore {
  private readonly options: OffsetStoreOptions;
  private readonly table = new OffsetTable();
  private readonly reader: CompactedTopicReader;
  private producer: Producer | undefined;

  constructor(options: OffsetStoreOptions) {
    this.options = options;
    this.reader = new CompactedTopicReader({
      kafka: options.kafka,
      topic: options.topic,
      groupIdPrefix: 'kwdb-connect-offset-reader',
      onRecord: (record) => this.apply(record),
    });
  }

  async start(): Promise<void> {
    const producer = this.options.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    this.producer = producer;
    await this.reader.start();
  }

  /** Why the store stopped following the offsets topic for good; undefined while it follows it. */
  failure(): Error | undefined {
    return this.reader.failure();
  }

  async close(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await this.reader.close();
    await producer?.disconnect();
  }

  /** Reads the topic to its end, then returns the connector's offsets by table. */
  async readAll(connector: string): Promise<Map<string, SourceOffset>> {
    await this.reader.readToEnd(this.options.catchUpTimeoutMs ?? DEFAULT_CATCH_UP_TIMEOUT_MS);
    return this.table.offsets(connector);
  }

  /** Stores a table's offset (null resets it), alone or inside the caller's transaction. */
  async write(
    connector: string,
    table: string,
    offset: SourceOffset | null,
    options: WriteOffsetOptions = {},
  ): Promise<void> {
    const message = { key: encodeOffsetKey(connector, table), value: encodeOffsetValue(offset) };
    if (options.transaction) {
      await options.transaction.send({ topic: this.options.topic, messages: [message] });
      return;
    }
    await this.producer_().send({ topic: this.options.topic, acks: -1, messages: [message] });
  }

  /** Resets one table's offset, or every offset of the connector when `table` is omitted. */
  async reset(connector: string, table?: string): Promise<void> {
    const tables = table === undefined ? [...(await this.readAll(connector)).keys()] : [table];
    if (tables.length === 0) return;
    await this.producer_().send({
      topic: this.options.topic,
      acks: -1,
      messages: tables.map((t) => ({ key: encodeOffsetKey(connector, t), value: null })),
    });
  }

  private producer_(): Producer {
    if (this.producer === undefined) throw new NotStartedError('OffsetStore is not started');
    return this.producer;
  }

  private apply(record: TopicRecord): void {
    if (record.key === null) return;
    try {
      this.table.apply(record.key, record.value);
    } catch (error) {
      this.options.logger?.warn(
        { err: error, partition: record.partition, offset: record.offset, key: record.key },
        'skipping malformed offset record',
      );
    }
  }
}
