import { describe, expect, it } from '@jest/globals';
import { createApiMetrics, routeLabel } from './api-metrics';

describe('routeLabel: the route template, never the raw path (bounded label values)', () => {
  it.each([
    { name: 'a router root', base: '/connectors', path: '/', label: '/connectors' },
    {
      name: 'a parameterised route',
      base: '/connectors',
      path: '/:name/status',
      label: '/connectors/:name/status',
    },
    { name: 'an app-level route', base: '', path: '/metrics', label: '/metrics' },
    { name: 'the root', base: '', path: '/', label: '/' },
    { name: 'no route matched', base: '/connectors', path: undefined, label: 'unmatched' },
  ])('$name', ({ base, path, label }) => {
    expect(routeLabel(base, path)).toBe(label);
  });
});

describe('createApiMetrics: connector states and task restarts', () => {
  const connectors = (states: { connector: string; state: string }[]) => ({
    countByState: async () => ({ RUNNING: states.filter((s) => s.state === 'RUNNING').length }),
    targetStates: async () => states,
    taskStates: async () => [],
  });

  it('connector_state is 1 for the current target state, 0 for the others; deleted connectors vanish', async () => {
    let states = [
      { connector: 'a', state: 'RUNNING' },
      { connector: 'b', state: 'PAUSED' },
    ];
    const metrics = createApiMetrics({ ...connectors([]), targetStates: async () => states });
    const text = await metrics.registry.metrics();
    expect(text).toContain('kwdb_connect_connector_state{connector="a",state="RUNNING"} 1');
    expect(text).toContain('kwdb_connect_connector_state{connector="a",state="PAUSED"} 0');
    expect(text).toContain('kwdb_connect_connector_state{connector="b",state="PAUSED"} 1');
    expect(text).toContain('kwdb_connect_connector_state{connector="b",state="STOPPED"} 0');
    states = [{ connector: 'b', state: 'STOPPED' }];
    const after = await metrics.registry.metrics();
    expect(after).not.toContain('connector="a"');
    expect(after).toContain('kwdb_connect_connector_state{connector="b",state="STOPPED"} 1');
  });

  it('task_status: one state per task at 1, the other states at 0', async () => {
    const metrics = createApiMetrics({
      ...connectors([]),
      taskStates: async () => [
        { connector: 'a', task: 0, state: 'RUNNING' },
        { connector: 'a', task: 1, state: 'FAILED' },
      ],
    });
    const text = await metrics.registry.metrics();
    expect(text).toContain('kwdb_connect_task_status{connector="a",task="0",state="RUNNING"} 1');
    expect(text).toContain('kwdb_connect_task_status{connector="a",task="0",state="FAILED"} 0');
    expect(text).toContain('kwdb_connect_task_status{connector="a",task="1",state="FAILED"} 1');
    expect(text).toContain('kwdb_connect_task_status{connector="a",task="1",state="UNASSIGNED"} 0');
  });

  it('task_restarts_total counts per connector, task and reason', async () => {
    const metrics = createApiMetrics(connectors([]));
    metrics.taskRestarted('a', 0, 'crashed');
    metrics.taskRestarted('a', 0, 'crashed');
    metrics.taskRestarted('a', 1, 'drained');
    const text = await metrics.registry.metrics();
    expect(text).toContain('kwdb_connect_task_restarts_total{connector="a",task="0",reason="crashed"} 2');
    expect(text).toContain('kwdb_connect_task_restarts_total{connector="a",task="1",reason="drained"} 1');
  });

  it('task_restarts_total: a started task shows 0 crash restarts; a forgotten task has no series', async () => {
    const metrics = createApiMetrics(connectors([]));
    metrics.taskStarted('b', 0);
    expect(await metrics.registry.metrics()).toContain(
      'kwdb_connect_task_restarts_total{connector="b",task="0",reason="crashed"} 0',
    );
    metrics.taskRestarted('b', 0, 'drained');
    metrics.taskForgotten('b', 0);
    expect(await metrics.registry.metrics()).not.toContain('connector="b"');
  });
});
