// The overview dashboard: every connector at once (connector variable "All" by default).
import { quantileQueries, RATE, SELECTOR as S, type DashboardSpec } from './grafana';

export const overview: DashboardSpec = {
  uid: 'kwdb-connect-overview',
  title: 'kwdb-connect / Overview',
  description: 'Every kwdb-connect connector: task states, throughput, lag, errors, latency, restarts.',
  allConnectors: true,
  rows: [
    {
      title: 'Tasks',
      kind: 'both',
      panels: [
        {
          title: 'Task states',
          type: 'table',
          unit: 'short',
          width: 12,
          description:
            'The state of every task as GET /connectors/{name}/status shows it (config-api, from the status topic).',
          queries: [
            {
              expr: `max by (connector, task, state) (kwdb_connect_task_status{${S}}) == 1`,
              legend: '{{connector}}-{{task}} {{state}}',
            },
          ],
        },
        {
          title: 'Failed tasks',
          type: 'stat',
          unit: 'short',
          width: 4,
          description: 'Tasks in state FAILED (they do not restart by themselves).',
          queries: [
            {
              expr: `sum(max by (connector, task) (kwdb_connect_task_status{${S}, state="FAILED"}))`,
              legend: 'failed',
            },
          ],
        },
        {
          title: 'Connectors by state',
          type: 'stat',
          unit: 'short',
          width: 8,
          description: 'Connectors by target state (RUNNING, PAUSED, STOPPED).',
          queries: [{ expr: `sum by (state) (kwdb_connect_connector_state{${S}})`, legend: '{{state}}' }],
        },
      ],
    },
    {
      title: 'Throughput',
      kind: 'both',
      panels: [
        {
          title: 'Sink: records consumed / s',
          type: 'timeseries',
          unit: 'ops',
          width: 6,
          description: 'Kafka records fetched by sink tasks.',
          queries: [
            {
              expr: `sum by (connector) (rate(kwdb_connect_records_consumed_total{${S}}[${RATE}]))`,
              legend: '{{connector}}',
            },
          ],
        },
        {
          title: 'Sink: rows written / s',
          type: 'timeseries',
          unit: 'ops',
          width: 6,
          description: 'Rows the database acknowledged.',
          queries: [
            {
              expr: `sum by (connector) (rate(kwdb_connect_rows_written_total{${S}}[${RATE}]))`,
              legend: '{{connector}}',
            },
          ],
        },
        {
          title: 'Source: rows polled / s',
          type: 'timeseries',
          unit: 'ops',
          width: 6,
          description: 'Rows read from the database by source tasks.',
          queries: [
            {
              expr: `sum by (connector) (rate(kwdb_connect_source_rows_polled_total{${S}}[${RATE}]))`,
              legend: '{{connector}}',
            },
          ],
        },
        {
          title: 'Source: records produced / s',
          type: 'timeseries',
          unit: 'ops',
          width: 6,
          description: 'Records Kafka acknowledged for source tasks.',
          queries: [
            {
              expr: `sum by (connector) (rate(kwdb_connect_source_records_produced_total{${S}}[${RATE}]))`,
              legend: '{{connector}}',
            },
          ],
        },
      ],
    },
    {
      title: 'Lag',
      kind: 'both',
      panels: [
        {
          title: 'Consumer lag per partition',
          type: 'timeseries',
          unit: 'short',
          width: 8,
          description:
            "Records waiting in each partition (end offset minus the sink group's committed offset).",
          queries: [
            {
              expr: `max by (connector, topic, partition) (kwdb_connect_consumer_lag_records{${S}})`,
              legend: '{{connector}} {{topic}}/{{partition}}',
            },
          ],
        },
        {
          title: 'Consumer lag trend',
          type: 'timeseries',
          unit: 'short',
          width: 8,
          description: 'Change of the total consumer lag per second (above 0: falling behind).',
          queries: [
            {
              expr: `sum by (connector) (deriv(kwdb_connect_consumer_lag_records{${S}}[5m]))`,
              legend: '{{connector}}',
            },
          ],
        },
        {
          title: 'Source lag per table',
          type: 'timeseries',
          unit: 's',
          width: 8,
          description:
            'Now minus the timestamp of the newest row emitted, per table (also grows while a table receives no rows).',
          queries: [
            {
              expr: `max by (connector, table) (kwdb_connect_source_lag_seconds{${S}})`,
              legend: '{{connector}} {{table}}',
            },
          ],
        },
      ],
    },
    {
      title: 'Errors',
      kind: 'both',
      panels: [
        {
          title: 'Dead-lettered records / s',
          type: 'timeseries',
          unit: 'ops',
          width: 12,
          description: 'Records sent to the dead letter topic (errors.tolerance=all), by source topic.',
          queries: [
            {
              expr: `sum by (connector, topic) (rate(kwdb_connect_dead_letter_records_total{${S}}[${RATE}]))`,
              legend: '{{connector}} {{topic}}',
            },
          ],
        },
        {
          title: 'Errors by kind / s',
          type: 'timeseries',
          unit: 'ops',
          width: 12,
          description: 'Errors by kind (decode, write, transient, commit, query, produce, ...).',
          queries: [
            {
              expr: `sum by (connector, kind) (rate(kwdb_connect_errors_total{${S}}[${RATE}]))`,
              legend: '{{connector}} {{kind}}',
            },
          ],
        },
      ],
    },
    {
      title: 'Latency and restarts',
      kind: 'both',
      panels: [
        {
          title: 'Write batch latency',
          type: 'timeseries',
          unit: 's',
          width: 8,
          description: 'Time to write one batch of rows, retries included (p50, p99).',
          queries: quantileQueries(
            'kwdb_connect_write_batch_duration_seconds',
            'connector',
            [0.5, 0.99],
            '{{connector}}',
          ),
        },
        {
          title: 'End-to-end latency',
          type: 'timeseries',
          unit: 's',
          width: 8,
          description: "From a record's Kafka timestamp to the database acknowledging its rows (p50, p99).",
          queries: quantileQueries(
            'kwdb_connect_end_to_end_latency_seconds',
            'connector',
            [0.5, 0.99],
            '{{connector}}',
          ),
        },
        {
          title: 'Task restarts (15 min)',
          type: 'timeseries',
          unit: 'short',
          width: 8,
          description:
            'Task processes started again, by how the previous one ended (crashed, failed, drained).',
          queries: [
            {
              expr: `sum by (connector, reason) (increase(kwdb_connect_task_restarts_total{${S}}[15m]))`,
              legend: '{{connector}} {{reason}}',
            },
          ],
        },
      ],
    },
  ],
};
