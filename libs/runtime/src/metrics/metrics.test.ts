import { describe, expect, it } from '@jest/globals';
import client from 'prom-client';
import { createMetrics, setTaskState } from './metrics';

/** The documented set (docs/metrics.md): name -> [type, labels]. */
const DOCUMENTED: Record<string, [string, string[]]> = {
  kwdb_connect_records_consumed_total: ['counter', ['connector', 'task', 'topic', 'partition']],
  kwdb_connect_rows_written_total: ['counter', ['connector', 'task', 'table']],
  kwdb_connect_write_batch_duration_seconds: ['histogram', ['connector', 'task']],
  kwdb_connect_end_to_end_latency_seconds: ['histogram', ['connector', 'task', 'topic']],
  kwdb_connect_dead_letter_records_total: ['counter', ['connector', 'task', 'topic']],
  kwdb_connect_consumer_lag_records: ['gauge', ['connector', 'task', 'topic', 'partition']],
  kwdb_connect_offset_commits_total: ['counter', ['connector', 'task']],
  kwdb_connect_errors_total: ['counter', ['connector', 'task', 'kind']],
  kwdb_connect_task_state: ['gauge', ['connector', 'task', 'state']],
  kwdb_connect_source_rows_polled_total: ['counter', ['connector', 'task', 'table']],
  kwdb_connect_source_records_produced_total: ['counter', ['connector', 'task', 'topic']],
  kwdb_connect_source_query_duration_seconds: ['histogram', ['connector', 'task']],
  kwdb_connect_source_lag_seconds: ['gauge', ['connector', 'task', 'table']],
  kwdb_connect_source_tables_owned: ['gauge', ['connector', 'task']],
};

describe('createMetrics', () => {
  it('registers exactly the documented kwdb_connect_* metrics with their types and labels', async () => {
    const registry = new client.Registry();
    createMetrics(registry, { defaultMetrics: false });
    const json = await registry.getMetricsAsJSON();
    expect(json.map((m) => m.name).sort()).toEqual(Object.keys(DOCUMENTED).sort());
    for (const [name, [type, labels]] of Object.entries(DOCUMENTED)) {
      const metric = registry.getSingleMetric(name) as unknown as { labelNames: string[] };
      expect(json.find((m) => m.name === name)?.type.toString()).toBe(type);
      expect(metric.labelNames).toEqual(labels);
    }
  });

  it('accepts the documented labels and renders them', async () => {
    const registry = new client.Registry();
    const m = createMetrics(registry, { defaultMetrics: false });
    m.recordsConsumed.inc({ connector: 'c', task: '0', topic: 't', partition: '3' }, 5);
    m.rowsWritten.inc({ connector: 'c', task: '0', table: 'cpu' }, 25);
    m.writeBatchDuration.observe({ connector: 'c', task: '0' }, 0.02);
    m.endToEndLatency.observe({ connector: 'c', task: '0', topic: 't' }, 0.3);
    m.consumerLag.set({ connector: 'c', task: '0', topic: 't', partition: '3' }, 12);
    m.errors.inc({ connector: 'c', task: '0', kind: 'decode' });
    m.sourceLag.set({ connector: 'c', task: '1', table: 'db.cpu' }, 1.5);
    const text = await registry.metrics();
    expect(text).toContain(
      'kwdb_connect_records_consumed_total{connector="c",task="0",topic="t",partition="3"} 5',
    );
    expect(text).toContain('kwdb_connect_rows_written_total{connector="c",task="0",table="cpu"} 25');
    expect(text).toContain('kwdb_connect_write_batch_duration_seconds_count{connector="c",task="0"} 1');
    expect(text).toContain(
      'kwdb_connect_consumer_lag_records{connector="c",task="0",topic="t",partition="3"} 12',
    );
    expect(text).toContain('kwdb_connect_errors_total{connector="c",task="0",kind="decode"} 1');
    expect(text).toContain('kwdb_connect_source_lag_seconds{connector="c",task="1",table="db.cpu"} 1.5');
    // A label that is not declared is refused, so a typo cannot silently create a new series.
    expect(() => m.rowsWritten.inc({ connector: 'c', task: '0', tabel: 'x' } as never)).toThrow();
  });

  it('adds the default Node process metrics by default', async () => {
    const registry = new client.Registry();
    createMetrics(registry);
    const text = await registry.metrics();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_heap_size_used_bytes');
  });
});

describe('setTaskState', () => {
  it.each(['RUNNING', 'FAILED', 'PAUSED'] as const)(
    'sets 1 for %s and 0 for every other state',
    async (state) => {
      const registry = new client.Registry();
      const m = createMetrics(registry, { defaultMetrics: false });
      setTaskState(m, 'c', 0, 'UNASSIGNED');
      setTaskState(m, 'c', 0, state);
      const values = (await m.taskState.get()).values.filter((v) => v.labels['task'] === '0');
      const current = values.filter((v) => v.value === 1).map((v) => v.labels['state']);
      expect(current).toEqual([state]);
      expect(values).toHaveLength(6);
    },
  );
});
