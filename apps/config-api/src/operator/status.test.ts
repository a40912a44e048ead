import { describe, expect, it } from '@jest/globals';
import type { InstanceStatus } from '../services/ports';
import { interpret } from './desired';
import { computeStatus, decideAutoRestart, type StatusInput } from './status';
import { sinkResource } from './test-fixtures';

const NOW = '2026-12-04T00:00:00.000Z';

function input(overrides: Partial<StatusInput> & { tasks?: [number, InstanceStatus][] } = {}): StatusInput {
  const resource = overrides.resource ?? sinkResource();
  return {
    resource,
    connector: interpret(resource),
    bound: { tasks: 3 },
    desiredReplicas: 3,
    readyReplicas: 3,
    published: {
      connector: { state: 'RUNNING', worker_id: 'api:8083' },
      tasks: new Map(overrides.tasks ?? []),
    },
    workerId: 'api:8083',
    autoRestart: undefined,
    now: NOW,
    ...overrides,
  };
}

const running = (id: number): [number, InstanceStatus] => [id, { state: 'RUNNING', worker_id: `pod-${id}` }];

describe('computeStatus', () => {
  it.each([
    {
      name: 'all tasks running: Ready',
      input: input({ tasks: [running(0), running(1), running(2)] }),
      ready: ['True', 'Running'],
      tasks: '3/3',
      state: 'RUNNING',
    },
    {
      name: 'tasks not published yet: UNASSIGNED, TasksStarting',
      input: input({ tasks: [running(0)], readyReplicas: 1 }),
      ready: ['False', 'TasksStarting'],
      tasks: '1/3',
      state: 'RUNNING',
    },
    {
      name: 'a FAILED task: NotReady naming it, state FAILED',
      input: input({
        tasks: [running(0), [1, { state: 'FAILED', worker_id: 'pod-1', trace: 'boom' }], running(2)],
      }),
      ready: ['False', 'TaskFailed'],
      tasks: '2/3',
      state: 'FAILED',
    },
    {
      name: 'stopped: Ready, no tasks',
      input: input({
        resource: sinkResource({ state: 'stopped' }),
        desiredReplicas: 0,
        readyReplicas: 0,
        published: { connector: { state: 'STOPPED', worker_id: 'api:8083' }, tasks: new Map() },
      }),
      ready: ['True', 'Stopped'],
      tasks: '0/0',
      state: 'STOPPED',
    },
    {
      name: 'paused: Ready when every task is PAUSED',
      input: input({
        resource: sinkResource({ state: 'paused' }),
        published: {
          connector: { state: 'PAUSED', worker_id: 'api:8083' },
          tasks: new Map([0, 1, 2].map((i) => [i, { state: 'PAUSED' as const, worker_id: `p${i}` }])),
        },
      }),
      ready: ['True', 'Paused'],
      tasks: '3/3',
      state: 'PAUSED',
    },
    {
      name: 'the password Secret is missing',
      input: input({ secretMissing: 'Secret meters-secret not found', desiredReplicas: 0 }),
      ready: ['False', 'SecretMissing'],
      tasks: '0/0',
      state: 'RUNNING',
    },
    {
      name: 'invalid config',
      input: input({ connector: { ok: false, problems: ['topics: is required'] } }),
      ready: ['False', 'InvalidConfig'],
      tasks: '0/0',
      state: 'FAILED',
    },
  ])('$name', ({ input: i, ready, tasks, state }) => {
    const status = computeStatus(i);
    const r = status.conditions?.find((c) => c.type === 'Ready');
    expect([r?.status, r?.reason]).toEqual(ready);
    expect(status.tasks).toBe(tasks);
    expect(status.state).toBe(state);
    expect(status.observedGeneration).toBe(3);
  });

  it("shows Kafka Connect's status shape and the sink's topics", () => {
    const status = computeStatus(input({ tasks: [running(0)] }));
    expect(status.connectorStatus).toEqual({
      name: 'KwdbSinkConnector',
      connector: { state: 'RUNNING', worker_id: 'api:8083' },
      tasks: [
        { id: 0, state: 'RUNNING', worker_id: 'pod-0' },
        { id: 1, state: 'UNASSIGNED', worker_id: 'api:8083' },
        { id: 2, state: 'UNASSIGNED', worker_id: 'api:8083' },
      ],
      type: 'sink',
    });
    expect(status.topics).toEqual(['kw-tsdb-ts_json_kaiwudb_tb']);
  });

  it('says when the tasks are capped', () => {
    const status = computeStatus(
      input({
        bound: {
          tasks: 1,
          cappedBy: { reason: 'TopicPartitions', message: 'tasksMax 3 is above the 1 partition(s)' },
        },
        desiredReplicas: 1,
      }),
    );
    expect(status.conditions?.find((c) => c.type === 'TasksCapped')).toMatchObject({
      status: 'True',
      reason: 'TopicPartitions',
    });
    expect(status.tasksMax).toBe(1);
  });

  it('keeps lastTransitionTime while a condition does not change', () => {
    const before = sinkResource();
    before.status = {
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Running',
          message: '',
          lastTransitionTime: '2026-01-01T00:00:00.000Z',
        },
      ],
    };
    const status = computeStatus(input({ resource: before, tasks: [running(0), running(1), running(2)] }));
    expect(status.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime).toBe(
      '2026-01-01T00:00:00.000Z',
    );
  });
});

describe('decideAutoRestart', () => {
  const policy = { initialMs: 1000, maxMs: 8000, resetAfterMs: 60_000 };
  const t0 = Date.parse(NOW);
  it.each([
    {
      name: 'disabled: nothing',
      spec: { enabled: false },
      state: undefined,
      failed: [1],
      now: t0,
      action: 'none',
    },
    {
      name: 'first failure: restart now',
      spec: { enabled: true },
      state: undefined,
      failed: [1],
      now: t0,
      action: 'restart',
    },
    {
      name: 'second failure inside the backoff: wait',
      spec: { enabled: true },
      state: { count: 1, lastRestartTimestamp: NOW },
      failed: [1],
      now: t0 + 1500,
      action: 'wait',
    },
    {
      name: 'second failure after the backoff (2 s): restart',
      spec: { enabled: true },
      state: { count: 1, lastRestartTimestamp: NOW },
      failed: [1],
      now: t0 + 2000,
      action: 'restart',
    },
    {
      name: 'maxRestarts reached: stays FAILED',
      spec: { enabled: true, maxRestarts: 2 },
      state: { count: 2, lastRestartTimestamp: NOW },
      failed: [1],
      now: t0 + 100_000,
      action: 'none',
    },
    {
      name: 'no failure: nothing',
      spec: { enabled: true },
      state: undefined,
      failed: [],
      now: t0,
      action: 'none',
    },
  ])('$name', ({ spec, state, failed, now, action }) => {
    expect(decideAutoRestart(spec, state, failed, now, policy).action).toBe(action);
  });

  it('the count resets after a long healthy run', () => {
    const d = decideAutoRestart(
      { enabled: true },
      { count: 3, lastRestartTimestamp: NOW },
      [],
      t0 + 60_000,
      policy,
    );
    expect(d).toEqual({ action: 'none', state: { count: 0 } });
  });

  it('counts restarts', () => {
    const d = decideAutoRestart(
      { enabled: true },
      { count: 1, lastRestartTimestamp: NOW },
      [0, 2],
      t0 + 5000,
      policy,
    );
    expect(d).toEqual({
      action: 'restart',
      tasks: [0, 2],
      next: { count: 2, lastRestartTimestamp: new Date(t0 + 5000).toISOString() },
    });
  });
});
