// Reads a whole (compacted) topic from the beginning and keeps following it, like Kafka
// Connect's KafkaBasedLog. kafkajs consumers always belong to a group, so each reader uses its
// own throwaway group id and commits nothing. The consumer reads committed records only, and
// readToEnd() waits until every partition has been read up to its high watermark as it was when
// readToEnd() was called: every transaction that had written to the topic by then has committed or
// aborted, and its committed records have been applied (docs/adr/0009-read-to-the-high-watermark.md).
import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import { CatchUpTimeoutError, NotStartedError } from '../errors';
import { HighWatermarks, type PartitionEnds } from './high-watermarks';

export interface TopicRecord {
  key: string | null;
  value: string | null;
  partition: number;
  offset: string;
}

export interface CompactedTopicReaderOptions {
  kafka: Kafka;
  topic: string;
  /** Called for every record in offset order per partition. Must not throw. */
  onRecord: (record: TopicRecord) => void;
  /** Prefix of the throwaway consumer group id; default "kwdb-connect-reader". */
  groupIdPrefix?: string;
}

export const DEFAULT_CATCH_UP_TIMEOUT_MS = 30_000;

/** True when every partition's position has reached its end offset (or the partition is empty). */
export function isCaughtUp(
  ends: readonly { partition: number; high: string; low: string }[],
  positions: ReadonlyMap<number, bigint>,
): boolean {
  return ends.every(({ partition, high, low }) => {
    const end = BigInt(high);
    return end <= BigInt(low) || (positions.get(partition) ?? 0n) >= end;
  });
}

export class CompactedTopicReader {
  private readonly options: CompactedTopicReaderOptions;
  private readonly positions = new Map<number, bigint>();
  private consumer: Consumer | undefined;
  private watermarks: HighWatermarks | undefined;
  private crash: Error | undefined;

  constructor(options: CompactedTopicReaderOptions) {
    this.options = options;
  }

  async start(): Promise<void> {
    const { kafka, topic } = this.options;
    const watermarks = new HighWatermarks(kafka);
    const consumer = kafka.consumer({
      groupId: `${this.options.groupIdPrefix ?? 'kwdb-connect-reader'}-${randomUUID()}`,
      readUncommitted: false,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 250,
    });
    // END_BATCH_PROCESS also fires for batches holding only control records or aborted records,
    // which never reach eachBatch; without it a reader would stall behind a transaction marker.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.topic !== topic) return;
      this.advance(payload.partition, BigInt(payload.lastOffset) + 1n);
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.crash = payload.error;
    });
    await watermarks.connect();
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          this.options.onRecord({
            key: message.key === null ? null : message.key.toString('utf8'),
            value: message.value === null ? null : message.value.toString('utf8'),
            partition: batch.partition,
            offset: message.offset,
          });
        }
      },
    });
    this.watermarks = watermarks;
    this.consumer = consumer;
  }

  /** Resolves once everything written to the topic before the call has been applied. */
  async readToEnd(timeoutMs = DEFAULT_CATCH_UP_TIMEOUT_MS): Promise<void> {
    const watermarks = this.watermarks;
    if (watermarks === undefined) throw new NotStartedError(`reader of ${this.options.topic} is not started`);
    const deadline = Date.now() + timeoutMs;
    const ends = await this.fetchEnds(watermarks, deadline);
    while (!isCaughtUp(ends, this.positions)) {
      if (this.crash) throw this.crash;
      if (Date.now() >= deadline) {
        throw new CatchUpTimeoutError(
          `reader of ${this.options.topic} did not reach ${JSON.stringify(ends)} within ${timeoutMs} ms`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** The error that stopped the consumer for good (kafkajs gave up restarting it); undefined while it runs. */
  failure(): Error | undefined {
    return this.crash;
  }

  async close(): Promise<void> {
    const consumer = this.consumer;
    const watermarks = this.watermarks;
    this.consumer = undefined;
    this.watermarks = undefined;
    await consumer?.disconnect();
    await watermarks?.disconnect();
  }

  /** The topic's high watermarks; retriable errors are retried until the deadline. */
  private async fetchEnds(watermarks: HighWatermarks, deadline: number): Promise<PartitionEnds[]> {
    try {
      return await watermarks.fetch(this.options.topic, Math.max(0, deadline - Date.now()));
    } catch (error) {
      throw new CatchUpTimeoutError(`could not list the end offsets of ${this.options.topic}`, error);
    }
  }

  private advance(partition: number, position: bigint): void {
    if (position > (this.positions.get(partition) ?? 0n)) this.positions.set(partition, position);
  }
}
