// Keeps kwdb_connect_consumer_lag_records true while nothing is committed: every few seconds it
// asks Kafka for each assigned partition's end offset and the group's committed offset, so the lag
// rises while the database is down (the task is stuck retrying and commits nothing) and falls as
// soon as the task catches up. The commit path also sets the gauge right after each commit.
import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from '@kwdb-connect/runtime';
import type { TaskMetrics } from '../metrics';
import { partitionLag } from '../pipeline/offsets';

export const LAG_REFRESH_MS = 5_000;

export interface PartitionOffsets {
  partition: number;
  /** The end offset a read_committed consumer reads up to (kafkajs fetchTopicOffsets' `high`). */
  high: string;
  /** The log start offset. */
  low: string;
}

/**
 * The lag of each assigned partition: end offset minus the group's committed offset, or minus the
 * log start when the group has committed nothing (a sink starts at the earliest offset).
 */
export function assignedLag(
  assigned: ReadonlySet<number>,
  ends: readonly PartitionOffsets[],
  committed: readonly { partition: number; offset: string }[],
): { partition: number; lag: number }[] {
  const committedBy = new Map(committed.map((c) => [c.partition, c.offset]));
  return ends
    .filter((end) => assigned.has(end.partition))
    .map((end) => {
      const offset = committedBy.get(end.partition);
      const next = offset === undefined || BigInt(offset) < 0n ? end.low : offset;
      return { partition: end.partition, lag: partitionLag(end.high, next) };
    });
}

export interface LagRefresherOptions {
  kafka: Kafka;
  groupId: string;
  metrics: TaskMetrics;
  logger: Logger;
  /** The partitions this task owns right now, by topic. */
  assigned: () => ReadonlyMap<string, ReadonlySet<number>>;
  intervalMs?: number;
}

export class LagRefresher {
  private readonly options: LagRefresherOptions;
  private admin: Admin | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(options: LagRefresherOptions) {
    this.options = options;
  }

  start(): void {
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.refresh());
    }, this.options.intervalMs ?? LAG_REFRESH_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect().catch(() => undefined);
  }

  /** One round: every assigned topic's end offsets and committed offsets -> the lag gauge. */
  async refresh(): Promise<void> {
    try {
      if (this.admin === undefined) {
        const admin = this.options.kafka.admin();
        await admin.connect();
        this.admin = admin;
      }
      for (const [topic, partitions] of this.options.assigned()) {
        if (partitions.size === 0) continue;
        const ends = await this.admin.fetchTopicOffsets(topic);
        const [group] = await this.admin.fetchOffsets({ groupId: this.options.groupId, topics: [topic] });
        for (const { partition, lag } of assignedLag(partitions, ends, group?.partitions ?? [])) {
          this.options.metrics.lag(topic, partition, lag);
        }
      }
    } catch (error) {
      // Kafka unreachable for a moment: the gauge keeps its last value; the next round tries again.
      this.options.logger.debug({ err: error }, 'consumer lag refresh failed');
    }
  }
}
