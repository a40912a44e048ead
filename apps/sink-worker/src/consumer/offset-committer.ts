// Offset commits that do not hold up the lanes (issue 17). A partition batch ends by asking for its
// commit; the lane goes on to its next batch. One OffsetCommit request is in flight at a time: the
// offsets asked for meanwhile wait, the highest per partition, and go out together in the next
// request. So under load many batches share one request, and the broker's queue (which also
// carries the fetches of the same connection) never fills with commits.
// A commit is only asked for after the rows below it were written (sink-task.ts), so a commit that
// lands late never claims an unwritten record.

/** The next offset to read of one partition (Kafka's committed offset), and what it says about lag. */
export interface PartitionCommit {
  topic: string;
  partition: number;
  offset: string;
  /** The partition's high watermark when its batch was fetched (for the lag metric). */
  highWatermark: string;
}

/** kafkajs's explicit commit: `payload.commitOffsetsIfNecessary(offsets)`. */
export type SendCommit = (offsets: {
  topics: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>;
}) => Promise<void>;

export interface OffsetCommitterOptions {
  /** Each request's offsets, once the broker has them. */
  onCommitted: (commits: readonly PartitionCommit[]) => void;
  /** Each request the broker refused (a rebalance, a coordinator move): its records are replayed. */
  onFailed: (commits: readonly PartitionCommit[], error: unknown) => void;
}

/** Groups commits by topic, in kafkajs's request shape. Pure. */
export function commitRequest(commits: readonly PartitionCommit[]): Parameters<SendCommit>[0] {
  const byTopic = new Map<string, Array<{ partition: number; offset: string }>>();
  for (const { topic, partition, offset } of commits) {
    let partitions = byTopic.get(topic);
    if (partitions === undefined) byTopic.set(topic, (partitions = []));
    partitions.push({ partition, offset });
  }
  return { topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })) };
}

export class OffsetCommitter {
  private readonly options: OffsetCommitterOptions;
  /** Asked for and not sent yet: the highest offset per topic/partition. */
  private readonly waiting = new Map<string, PartitionCommit>();
  private send: SendCommit | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(options: OffsetCommitterOptions) {
    this.options = options;
  }

  /**
   * Asks for a commit and returns at once. `send` is the asking batch's commit function (any
   * batch's does: they all commit through the consumer group of this generation).
   */
  request(commit: PartitionCommit, send: SendCommit): void {
    const key = `${commit.topic}\u0000${commit.partition}`;
    const earlier = this.waiting.get(key);
    if (earlier === undefined || BigInt(earlier.offset) < BigInt(commit.offset))
      this.waiting.set(key, commit);
    this.send = send;
    if (this.inFlight === undefined) this.inFlight = this.drain();
  }

  /** Resolves when every commit asked for so far has been answered (sent or refused). */
  async flush(): Promise<void> {
    while (this.inFlight !== undefined) await this.inFlight;
  }

  private async drain(): Promise<void> {
    while (this.waiting.size > 0) {
      const commits = [...this.waiting.values()];
      this.waiting.clear();
      try {
        await this.send!(commitRequest(commits));
        this.options.onCommitted(commits);
      } catch (error) {
        this.options.onFailed(commits, error);
      }
    }
    this.inFlight = undefined;
  }
}
