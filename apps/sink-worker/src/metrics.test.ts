import { describe, expect, it } from '@jest/globals';
import { TaskMetrics } from './metrics';

describe('TaskMetrics', () => {
  it('labels the process metrics with connector and task (per-task memory and CPU)', async () => {
    const metrics = new TaskMetrics('sink-a', 3);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^process_resident_memory_bytes\{connector="sink-a",task="3"\} \d+/m);
    metrics.state('RUNNING');
    expect(await metrics.registry.metrics()).toContain(
      'kwdb_connect_task_state{connector="sink-a",task="3",state="RUNNING"} 1',
    );
  });

  it('starts every error kind at 0, and the dead letters of a topic at its first records', async () => {
    const metrics = new TaskMetrics('sink-a', 0);
    const before = await metrics.registry.metrics();
    for (const kind of ['decode', 'write', 'transient', 'commit', 'dead_letter', 'task']) {
      expect(before).toContain(`kwdb_connect_errors_total{connector="sink-a",task="0",kind="${kind}"} 0`);
    }
    expect(before).not.toContain('kwdb_connect_dead_letter_records_total{');
    metrics.consumed('t', 0, 3);
    expect(await metrics.registry.metrics()).toContain(
      'kwdb_connect_dead_letter_records_total{connector="sink-a",task="0",topic="t"} 0',
    );
  });

  it('drops the lag of a partition that moved to another task', async () => {
    const metrics = new TaskMetrics('sink-a', 0);
    metrics.lag('t', 0, 5);
    metrics.lag('t', 1, 7);
    metrics.dropLag('t', 0);
    const text = await metrics.registry.metrics();
    expect(text).not.toContain('partition="0"');
    expect(text).toContain(
      'kwdb_connect_consumer_lag_records{connector="sink-a",task="0",topic="t",partition="1"} 7',
    );
  });

  it('observes the latency of written records only, and skips timestamps that are not numbers', async () => {
    const metrics = new TaskMetrics('sink-a', 0);
    const records = [{ timestamp: '1000' }, { timestamp: '2000' }, { timestamp: 'x' }, { timestamp: '3500' }];
    metrics.latency('t', records, [true, false, true, true], 4000);
    const text = await metrics.registry.metrics();
    // 4000 - 1000 = 3 s and 4000 - 3500 = 0.5 s; the unwritten record and the bad timestamp are not observed.
    expect(text).toMatch(/kwdb_connect_end_to_end_latency_seconds_count\{[^}]*topic="t"[^}]*\} 2\n/);
    expect(text).toMatch(/kwdb_connect_end_to_end_latency_seconds_sum\{[^}]*topic="t"[^}]*\} 3.5\n/);
  });
});
