// The sink task's metrics (names in docs/metrics.md, registered by @kwdb-connect/runtime), with the
// connector and task labels bound once so the pipeline code only says what happened.
import { createMetrics, setTaskState, type Metrics, type StatusState } from '@kwdb-connect/runtime';
import { Registry } from 'prom-client';

export const ERROR_KINDS = ['decode', 'write', 'transient', 'commit', 'dead_letter', 'task'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export class TaskMetrics {
  readonly registry = new Registry();
  readonly metrics: Metrics;
  private readonly labels: { connector: string; task: string };

  constructor(connector: string, taskId: number) {
    this.metrics = createMetrics(this.registry);
    this.labels = { connector, task: String(taskId) };
    // The process metrics (memory, CPU, event loop) carry connector and task too.
    this.registry.setDefaultLabels(this.labels);
    // Every error kind exists from the start at 0, so rates and alerts see a healthy task too.
    for (const kind of ERROR_KINDS) this.metrics.errors.inc({ ...this.labels, kind }, 0);
  }

  private readonly topicsSeen = new Set<string>();

  /** Dead letters per source topic start at 0 (rates, panels and alerts see "none" as 0). */
  topicSeen(topic: string): void {
    if (this.topicsSeen.has(topic)) return;
    this.topicsSeen.add(topic);
    this.metrics.deadLetterRecords.inc({ ...this.labels, topic }, 0);
  }

  consumed(topic: string, partition: number, count: number): void {
    this.topicSeen(topic);
    this.metrics.recordsConsumed.inc({ ...this.labels, topic, partition: String(partition) }, count);
  }

  written(rowsPerTable: ReadonlyMap<string, number>): void {
    for (const [table, rows] of rowsPerTable) {
      if (rows > 0) this.metrics.rowsWritten.inc({ ...this.labels, table }, rows);
    }
  }

  writeDuration(seconds: number): void {
    this.metrics.writeBatchDuration.observe(this.labels, seconds);
  }

  /**
   * End-to-end latency of each written record (written[i]): now minus its Kafka timestamp. Takes
   * the batch's records as they are, so a batch costs no arrays of its own (issue 17).
   */
  latency(
    topic: string,
    records: ReadonlyArray<{ timestamp: string }>,
    written: readonly boolean[],
    nowMs: number,
  ): void {
    const labels = { ...this.labels, topic };
    for (let i = 0; i < records.length; i++) {
      if (!written[i]) continue;
      const seconds = (nowMs - Number(records[i]!.timestamp)) / 1000;
      if (Number.isFinite(seconds)) this.metrics.endToEndLatency.observe(labels, Math.max(0, seconds));
    }
  }

  error(kind: ErrorKind, count = 1): void {
    this.metrics.errors.inc({ ...this.labels, kind }, count);
  }

  deadLettered(topic: string, count: number): void {
    this.metrics.deadLetterRecords.inc({ ...this.labels, topic }, count);
  }

  lag(topic: string, partition: number, records: number): void {
    this.metrics.consumerLag.set({ ...this.labels, topic, partition: String(partition) }, records);
  }

  dropLag(topic: string, partition: number): void {
    this.metrics.consumerLag.remove({ ...this.labels, topic, partition: String(partition) });
  }

  committed(): void {
    this.metrics.offsetCommits.inc(this.labels);
  }

  state(state: StatusState): void {
    setTaskState(this.metrics, this.labels.connector, this.labels.task, state);
  }
}
