// The per-connector dashboard: one connector (selector), its tasks, and its sink or source rows.
import { quantileQueries, RATE, SELECTOR as S, type DashboardSpec } from './grafana';

export const connector: DashboardSpec = {
  uid: 'kwdb-connect-connector',
  title: 'kwdb-connect / Connector',
  description:
    'One kwdb-connect connector: its tasks, and its sink (Kafka -> KWDB) or source (KWDB -> Kafka) pipeline.',
  allConnectors: false,
  rows: [
    {
      title: 'Tasks',
      kind: 'both',
      panels: [
        {
          title: 'Task states',
          type: 'table',
          unit: 'short',
          width: 8,
          description: 'The state of each task (status topic, as GET /connectors/{name}/status shows it).',
          queries: [
            {
              expr: `max by (task, state) (kwdb_connect_task_status{${S}}) == 1`,
              legend: 'task {{task}} {{state}}',
            },
          ],
        },
        {
          title: 'Connector state',
          type: 'stat',
          unit: 'short',
          width: 4,
          description: "The connector's target state.",
          queries: [
            { expr: `max by (state) (kwdb_connect_connector_state{${S}}) == 1`, legend: '{{state}}' },
          ],
        },
        {
          title: 'Errors by kind / s',
          type: 'timeseries',
          unit: 'ops',
          width: 6,
          description: 'Errors by task and kind.',
          queries: [
            {
              expr: `sum by (task, kind) (rate(kwdb_connect_errors_total{${S}}[${RATE}]))`,
              legend: 'task {{task}} {{kind}}',
            },
          ],
        },
        {
          title: 'Task restarts (15 min)',
          type: 'timeseries',
          unit: 'short',
          width: 6,
          description: 'Task processes started again, by how the previous one ended.',
          queries: [
            {
              expr: `sum by (task, reason) (increase(kwdb_connect_task_restarts_total{${S}}[15m]))`,
              legend: 'task {{task}} {{reason}}',
            },
          ],
        },
        {
          title: 'Offset commits / s',
          type: 'timeseries',
          unit: 'ops',
          width: 8,
          description: 'Sink: consumer-group commits; source: stored cursors.',
          queries: [
            {
              expr: `sum by (task) (rate(kwdb_connect_offset_commits_total{${S}}[${RATE}]))`,
              legend: 'task {{task}}',
            },
          ],
        },
        {
          title: 'Worker memory (RSS)',
          type: 'timeseries',
          unit: 'bytes',
          width: 8,
          description:
            "Resident memory of each task's process (labelled by service discovery or the PodMonitor).",
          queries: [{ expr: `max by (task) (process_resident_memory_bytes{${S}})`, legend: 'task {{task}}' }],
        },
        {
          title: 'Worker CPU',
          type: 'timeseries',
          unit: 'percentunit',
          width: 8,
          description: "CPU used by each task's process (1 = one core).",
          queries: [
            {
              expr: `sum by (task) (rate(process_cpu_seconds_total{${S}}[${RATE}]))`,
              legend: 'task {{task}}',
            },
          ],
        },
      ],
    },
    {
      title: 'Sink: Kafka -> database',
      kind: 'sink',
      panels: [
        {
          title: 'Records consumed / s by partition',
          type: 'timeseries',
          unit: 'ops',
          width: 8,
          description: 'Kafka records fetched, per topic partition.',
          queries: [
            {
              expr: `sum by (topic, partition) (rate(kwdb_connect_records_consumed_total{${S}}[${RATE}]))`,
              legend: '{{topic}}/{{partition}}',
            },
          ],
        },
        {
          title: 'Rows written / s by table',
          type: 'timeseries',
          unit: 'ops',
          width: 8,
          description: 'Rows the database acknowledged, per table.',
          queries: [
            {
              expr: `sum by (table) (rate(kwdb_connect_rows_written_total{${S}}[${RATE}]))`,
              legend: '{{table}}',
            },
          ],
        },
        {
          title: 'Consumer lag by partition',
          type: 'timeseries',
          unit: 'short',
          width: 8,
          description: 'Records waiting in each partition, and the task that owns it.',
          queries: [
            {
              expr: `max by (task, topic, partition) (kwdb_connect_consumer_lag_records{${S}})`,
              legend: 'task {{task}} {{topic}}/{{partition}}',
            },
          ],
        },
        {
          title: 'Write batch latency',
          type: 'timeseries',
          unit: 's',
          width: 8,
          description: 'Time to write one batch, retries included.',
          queries: quantileQueries(
            'kwdb_connect_write_batch_duration_seconds',
            'connector',
            [0.5, 0.9, 0.99],
            'write',
          ),
        },
        {
          title: 'End-to-end latency by topic',
          type: 'timeseries',
          unit: 's',
          width: 8,
          description: "From a record's Kafka timestamp to the database acknowledging its rows.",
          queries: quantileQueries(
            'kwdb_connect_end_to_end_latency_seconds',
            'topic',
            [0.5, 0.9, 0.99],
            '{{topic}}',
          ),
        },
        {
          title: 'Dead-lettered records / s',
          type: 'timeseries',
          unit: 'ops',
          width: 8,
          description: 'Records sent to the dead letter topic, by source topic.',
          queries: [
            {
              expr: `sum by (task, topic) (rate(kwdb_connect_dead_letter_records_total{${S}}[${RATE}]))`,
              legend: 'task {{task}} {{topic}}',
            },
          ],
        },
      ],
    },
    {
      title: 'Source: database -> Kafka',
      kind: 'source',
      panels: [
        {
          title: 'Rows polled / s by table',
          type: 'timeseries',
          unit: 'ops',
          width: 8,
          description: 'Rows read from the database, per table.',
          queries: [
            {
              expr: `sum by (table) (rate(kwdb_connect_source_rows_polled_total{${S}}[${RATE}]))`,
              legend: '{{table}}',
            },
          ],
        },
        {
          title: 'Records produced / s by topic',
          type: 'timeseries',
          unit: 'ops',
          width: 8,
          description: 'Records Kafka acknowledged, per topic.',
          queries: [
            {
              expr: `sum by (topic) (rate(kwdb_connect_source_records_produced_total{${S}}[${RATE}]))`,
              legend: '{{topic}}',
            },
          ],
        },
        {
          title: 'Source lag by table',
          type: 'timeseries',
          unit: 's',
          width: 8,
          description:
            'Now minus the timestamp of the newest row emitted (also grows while a table receives no rows).',
          queries: [
            {
              expr: `max by (task, table) (kwdb_connect_source_lag_seconds{${S}})`,
              legend: 'task {{task}} {{table}}',
            },
          ],
        },
        {
          title: 'Polling query duration',
          type: 'timeseries',
          unit: 's',
          width: 8,
          description: 'Time of one polling query.',
          queries: quantileQueries(
            'kwdb_connect_source_query_duration_seconds',
            'connector',
            [0.5, 0.9, 0.99],
            'query',
          ),
        },
        {
          title: 'Tables owned by task',
          type: 'timeseries',
          unit: 'short',
          width: 8,
          description: 'Tables each source task currently claims.',
          queries: [
            { expr: `max by (task) (kwdb_connect_source_tables_owned{${S}})`, legend: 'task {{task}}' },
          ],
        },
        {
          title: 'Tables discovered (15 min)',
          type: 'timeseries',
          unit: 'short',
          width: 8,
          description: 'Tables that appeared or disappeared in the source database.',
          queries: [
            {
              expr: `sum by (event) (increase(kwdb_connect_source_tables_discovered_total{${S}}[15m]))`,
              legend: '{{event}}',
            },
          ],
        },
      ],
    },
  ],
};
