import { describe, expect, it } from '@jest/globals';
import { SourceMetrics } from './metrics';

describe('SourceMetrics', () => {
  it('labels the process metrics with connector and task (per-task memory and CPU)', async () => {
    const metrics = new SourceMetrics('source-a', '1');
    expect(await metrics.registry.metrics()).toMatch(
      /^process_resident_memory_bytes\{connector="source-a",task="1"\} \d+/m,
    );
  });

  it('starts every error kind and both discovery events at 0', async () => {
    const text = await new SourceMetrics('source-a', '0').registry.metrics();
    for (const event of ['added', 'dropped']) {
      expect(text).toContain(
        `kwdb_connect_source_tables_discovered_total{connector="source-a",task="0",event="${event}"} 0`,
      );
    }
    for (const kind of ['query', 'produce', 'encode', 'cursor', 'topic', 'discovery', 'claims', 'status']) {
      expect(text).toContain(`kwdb_connect_errors_total{connector="source-a",task="0",kind="${kind}"} 0`);
    }
  });
});
