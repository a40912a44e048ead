// End offsets of a topic as Kafka Connect's KafkaBasedLog reads them: the high watermark
// (ListOffsets with read_uncommitted isolation), not the last stable offset.
//
// Why: kafkajs 2.2.4's admin.fetchTopicOffsets always asks for read_committed end offsets (the
// last stable offset). A transaction whose commit has returned may not have its markers written
// yet, so its records still sit above the last stable offset and a reader that stops there misses
// them (docs/adr/0009-read-to-the-high-watermark.md). Waiting for the high watermark instead waits
// until every transaction that had written to the topic when we asked has committed or aborted.
//
// kafkajs has no public option for this, so we ask the Kafka client for a cluster of its own with
// read_uncommitted isolation through its private cluster factory. kafkajs is pinned to 2.2.4 in
// package.json; high-watermarks.int.test.ts fails loudly if an upgrade changes this internal.
import type { Kafka } from 'kafkajs';
import { HighWatermarkUnavailableError } from '../errors';

export interface PartitionEnds {
  partition: number;
  /** The high watermark: one past the last record written, committed or not. */
  high: string;
  /** The log start offset. */
  low: string;
}

/** The slice of kafkajs's internal Cluster that we use. */
interface InternalCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  refreshMetadata(): Promise<void>;
  findTopicPartitionMetadata(topic: string): { partitionId: number }[];
  fetchTopicsOffset(
    topics: { topic: string; fromBeginning: boolean; partitions: { partition: number }[] }[],
  ): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
}

type CreateCluster = (options: {
  allowAutoTopicCreation: boolean;
  isolationLevel: number;
}) => InternalCluster;

const READ_UNCOMMITTED = 0;
const RETRY_MS = 100;
const CREATE_CLUSTER = 'private:Kafka:createCluster';

function clusterFactory(kafka: Kafka): CreateCluster {
  const symbol = Object.getOwnPropertySymbols(kafka).find((s) => s.description === CREATE_CLUSTER);
  const factory = symbol === undefined ? undefined : (kafka as unknown as Record<symbol, unknown>)[symbol];
  if (typeof factory !== 'function') {
    throw new HighWatermarkUnavailableError(
      `this kafkajs version has no ${CREATE_CLUSTER}; high watermarks need kafkajs 2.2.x`,
    );
  }
  return factory as CreateCluster;
}

/** Reads high watermarks and log start offsets of topics over one connection. */
export class HighWatermarks {
  private readonly cluster: InternalCluster;
  private connected = false;

  constructor(kafka: Kafka) {
    this.cluster = clusterFactory(kafka)({ allowAutoTopicCreation: false, isolationLevel: READ_UNCOMMITTED });
  }

  async connect(): Promise<void> {
    await this.cluster.connect();
    this.connected = true;
  }

  async disconnect(): Promise<void> {
    if (!this.connected) return;
    this.connected = false;
    await this.cluster.disconnect();
  }

  /**
   * Every partition's high watermark and log start offset. Errors Kafka calls retriable (a
   * partition whose leader is not ready yet, right after the topic was created) are retried with
   * fresh metadata for up to `timeoutMs`.
   */
  async fetch(topic: string, timeoutMs = 10_000): Promise<PartitionEnds[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await this.fetchOnce(topic);
      } catch (error) {
        if ((error as { retriable?: unknown }).retriable !== true || Date.now() >= deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }

  private async fetchOnce(topic: string): Promise<PartitionEnds[]> {
    await this.cluster.addTargetTopic(topic);
    await this.cluster.refreshMetadata();
    const partitions = this.cluster
      .findTopicPartitionMetadata(topic)
      .map(({ partitionId }) => ({ partition: partitionId }))
      .sort((a, b) => a.partition - b.partition);
    const [high, low] = await Promise.all(
      [false, true].map(async (fromBeginning) => {
        const [result] = await this.cluster.fetchTopicsOffset([{ topic, fromBeginning, partitions }]);
        return new Map((result?.partitions ?? []).map((p) => [p.partition, p.offset]));
      }),
    );
    return partitions.map(({ partition }) => {
      const h = high?.get(partition);
      const l = low?.get(partition);
      if (h === undefined || l === undefined) {
        throw new HighWatermarkUnavailableError(`no offsets for ${topic} partition ${partition}`);
      }
      return { partition, high: h, low: l };
    });
  }
}
