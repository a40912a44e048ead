// The source task's metrics: the shared kwdb_connect_* set of docs/metrics.md (rows polled,
// records produced, query duration, source lag per table, tables owned, errors by kind, task
// state, cursor commits) plus discovery events. Labels connector and task everywhere.
import client from 'prom-client';
import {
  createMetrics,
  METRIC_PREFIX,
  setTaskState,
  type Metrics,
  type StatusState,
} from '@kwdb-connect/runtime';

export const ERROR_KINDS = [
  'query',
  'produce',
  'encode',
  'cursor',
  'topic',
  'discovery',
  'claims',
  'status',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export class SourceMetrics {
  readonly registry = new client.Registry();
  readonly shared: Metrics;
  private readonly discovered: client.Counter<'connector' | 'task' | 'event'>;
  /** Newest emitted row timestamp (ms) per table, for the lag gauge. */
  private readonly newest = new Map<string, number>();

  constructor(
    private readonly connector: string,
    private readonly task: string,
  ) {
    this.shared = createMetrics(this.registry);
    // The process metrics (memory, CPU, event loop) carry connector and task too.
    this.registry.setDefaultLabels({ connector, task });
    // Every error kind exists from the start at 0, so rates and alerts see a healthy task too.
    for (const kind of ERROR_KINDS) this.shared.errors.inc({ connector, task, kind }, 0);
    this.discovered = new client.Counter({
      name: `${METRIC_PREFIX}source_tables_discovered_total`,
      help: 'Tables that appeared (event="added") or disappeared (event="dropped") in the source database.',
      labelNames: ['connector', 'task', 'event'],
      registers: [this.registry],
    });
    for (const event of ['added', 'dropped']) this.discovered.inc({ connector, task, event }, 0);
  }

  private get labels(): { connector: string; task: string } {
    return { connector: this.connector, task: this.task };
  }

  rowsPolled(table: string, n: number): void {
    this.shared.sourceRowsPolled.inc({ ...this.labels, table }, n);
  }

  queryDuration(seconds: number): void {
    this.shared.sourceQueryDuration.observe(this.labels, seconds);
  }

  produced(topic: string, n: number): void {
    if (n > 0) this.shared.sourceRecordsProduced.inc({ ...this.labels, topic }, n);
  }

  cursorStored(): void {
    this.shared.offsetCommits.inc(this.labels);
  }

  emitted(table: string, newestTsNs: bigint): void {
    const ms = Number(newestTsNs / 1_000_000n);
    this.newest.set(table, ms);
    this.shared.sourceLag.set({ ...this.labels, table }, (Date.now() - ms) / 1000);
  }

  forgetTable(table: string): void {
    this.newest.delete(table);
    this.shared.sourceLag.remove({ ...this.labels, table });
  }

  /** Sets source lag = now - newest emitted row, per table; called every second. */
  refreshLag(nowMs: number): void {
    for (const [table, ms] of this.newest)
      this.shared.sourceLag.set({ ...this.labels, table }, (nowMs - ms) / 1000);
  }

  tablesOwned(n: number): void {
    this.shared.sourceTablesOwned.set(this.labels, n);
  }

  error(kind: ErrorKind): void {
    this.shared.errors.inc({ ...this.labels, kind });
  }

  tableEvent(event: 'added' | 'dropped', n = 1): void {
    if (n > 0) this.discovered.inc({ ...this.labels, event }, n);
  }

  state(state: StatusState): void {
    setTaskState(this.shared, this.connector, this.task, state);
  }
}
