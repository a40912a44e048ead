// The Prometheus metrics every worker exposes (docs/metrics.md). One prefix, one registry per
// process; labels connector and task on everything, plus topic/partition/table where they apply.
import client from 'prom-client';
import { STATUS_STATES, type StatusState } from '../status/status-record';

export const METRIC_PREFIX = 'kwdb_connect_';

type TaskLabels = 'connector' | 'task';

/** Buckets (seconds) for database write batches and source queries. */
export const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Buckets (seconds) for end-to-end latency, from the record timestamp to the acknowledged write. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export interface Metrics {
  readonly registry: client.Registry;
  // sink
  readonly recordsConsumed: client.Counter<TaskLabels | 'topic' | 'partition'>;
  readonly rowsWritten: client.Counter<TaskLabels | 'table'>;
  readonly writeBatchDuration: client.Histogram<TaskLabels>;
  readonly endToEndLatency: client.Histogram<TaskLabels | 'topic'>;
  readonly deadLetterRecords: client.Counter<TaskLabels | 'topic'>;
  readonly consumerLag: client.Gauge<TaskLabels | 'topic' | 'partition'>;
  readonly offsetCommits: client.Counter<TaskLabels>;
  // both
  readonly errors: client.Counter<TaskLabels | 'kind'>;
  readonly taskState: client.Gauge<TaskLabels | 'state'>;
  // source
  readonly sourceRowsPolled: client.Counter<TaskLabels | 'table'>;
  readonly sourceRecordsProduced: client.Counter<TaskLabels | 'topic'>;
  readonly sourceQueryDuration: client.Histogram<TaskLabels>;
  readonly sourceLag: client.Gauge<TaskLabels | 'table'>;
  readonly sourceTablesOwned: client.Gauge<TaskLabels>;
}

export interface CreateMetricsOptions {
  /** Also collect prom-client's default Node/process metrics (unprefixed, standard names). Default true. */
  defaultMetrics?: boolean;
}

/** Registers the kwdb_connect_* metrics (and by default Node's process metrics) in `registry`. */
export function createMetrics(registry: client.Registry, options: CreateMetricsOptions = {}): Metrics {
  if (options.defaultMetrics ?? true) client.collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const name = (suffix: string): string => METRIC_PREFIX + suffix;
  return {
    registry,
    recordsConsumed: new client.Counter({
      name: name('records_consumed_total'),
      help: 'Kafka records fetched by a sink task.',
      labelNames: ['connector', 'task', 'topic', 'partition'],
      registers,
    }),
    rowsWritten: new client.Counter({
      name: name('rows_written_total'),
      help: 'Rows acknowledged by the database.',
      labelNames: ['connector', 'task', 'table'],
      registers,
    }),
    writeBatchDuration: new client.Histogram({
      name: name('write_batch_duration_seconds'),
      help: 'Time to write one batch of rows to the database, retries included.',
      labelNames: ['connector', 'task'],
      buckets: DURATION_BUCKETS,
      registers,
    }),
    endToEndLatency: new client.Histogram({
      name: name('end_to_end_latency_seconds'),
      help: 'Time from a record timestamp to the database acknowledging its rows.',
      labelNames: ['connector', 'task', 'topic'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    deadLetterRecords: new client.Counter({
      name: name('dead_letter_records_total'),
      help: 'Records sent to the dead letter topic (errors.tolerance=all).',
      labelNames: ['connector', 'task', 'topic'],
      registers,
    }),
    consumerLag: new client.Gauge({
      name: name('consumer_lag_records'),
      help: 'High watermark minus the next offset to consume, per assigned partition.',
      labelNames: ['connector', 'task', 'topic', 'partition'],
      registers,
    }),
    offsetCommits: new client.Counter({
      name: name('offset_commits_total'),
      help: 'Successful offset commits (sink: consumer group; source: stored cursors).',
      labelNames: ['connector', 'task'],
      registers,
    }),
    errors: new client.Counter({
      name: name('errors_total'),
      help: 'Errors by kind (decode, write, transient, commit, produce, query, ...).',
      labelNames: ['connector', 'task', 'kind'],
      registers,
    }),
    taskState: new client.Gauge({
      name: name('task_state'),
      help: 'Task state: 1 for the current state, 0 for the others.',
      labelNames: ['connector', 'task', 'state'],
      registers,
    }),
    sourceRowsPolled: new client.Counter({
      name: name('source_rows_polled_total'),
      help: 'Rows read from the database by a source task.',
      labelNames: ['connector', 'task', 'table'],
      registers,
    }),
    sourceRecordsProduced: new client.Counter({
      name: name('source_records_produced_total'),
      help: 'Records acknowledged by Kafka for a source task.',
      labelNames: ['connector', 'task', 'topic'],
      registers,
    }),
    sourceQueryDuration: new client.Histogram({
      name: name('source_query_duration_seconds'),
      help: 'Time of one source polling query.',
      labelNames: ['connector', 'task'],
      buckets: DURATION_BUCKETS,
      registers,
    }),
    sourceLag: new client.Gauge({
      name: name('source_lag_seconds'),
      help: 'Now minus the timestamp of the newest row emitted, per table.',
      labelNames: ['connector', 'task', 'table'],
      registers,
    }),
    sourceTablesOwned: new client.Gauge({
      name: name('source_tables_owned'),
      help: 'Tables currently claimed by a source task.',
      labelNames: ['connector', 'task'],
      registers,
    }),
  };
}

/** Sets the task_state gauge: 1 for `state`, 0 for every other state. */
export function setTaskState(
  metrics: Metrics,
  connector: string,
  task: number | string,
  state: StatusState,
): void {
  for (const each of STATUS_STATES) {
    metrics.taskState.set({ connector, task: String(task), state: each }, each === state ? 1 : 0);
  }
}
