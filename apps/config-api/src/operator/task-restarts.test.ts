import { describe, expect, it } from '@jest/globals';
import {
  containerExitReason,
  countTaskRestarts,
  observeWorkerPods,
  type TaskPodObservation,
  type WorkerPodStatusView,
} from './task-restarts';

const obs = (pod: string, restarts = 0, extra: Partial<TaskPodObservation> = {}): TaskPodObservation => ({
  pod,
  restarts,
  failed: false,
  ...extra,
});
const map = (entries: [number, TaskPodObservation][]) => new Map(entries);

describe('countTaskRestarts', () => {
  it.each([
    {
      name: 'first look since becoming leader: a baseline, restarts before it are not counted',
      previous: undefined,
      current: map([
        [0, obs('a', 4, { lastExitCode: 1 })],
        [1, obs('b')],
      ]),
      tasks: 2,
      increments: [],
      started: [0, 1],
      forgotten: [],
    },
    {
      name: 'nothing changed: nothing counted',
      previous: map([[0, obs('a', 4)]]),
      current: map([[0, obs('a', 4, { lastExitCode: 1 })]]),
      tasks: 1,
      increments: [],
      started: [],
      forgotten: [],
    },
    {
      name: 'the kubelet restarted a crashed worker twice: crashed +2',
      previous: map([[0, obs('a', 1)]]),
      current: map([[0, obs('a', 3, { lastExitCode: 137 })]]),
      tasks: 1,
      increments: [{ task: 0, reason: 'crashed', by: 2 }],
      started: [],
      forgotten: [],
    },
    {
      name: 'a worker that exited 0 by itself: finished',
      previous: map([[0, obs('a')]]),
      current: map([[0, obs('a', 1, { lastExitCode: 0 })]]),
      tasks: 1,
      increments: [{ task: 0, reason: 'finished', by: 1 }],
      started: [],
      forgotten: [],
    },
    {
      name: 'a worker that exited 2 (task failed): failed',
      previous: map([[0, obs('a')]]),
      current: map([[0, obs('a', 1, { lastExitCode: 2 })]]),
      tasks: 1,
      increments: [{ task: 0, reason: 'failed', by: 1 }],
      started: [],
      forgotten: [],
    },
    {
      name: 'a restart reported without an exit code counts as crashed',
      previous: map([[0, obs('a')]]),
      current: map([[0, obs('a', 1)]]),
      tasks: 1,
      increments: [{ task: 0, reason: 'crashed', by: 1 }],
      started: [],
      forgotten: [],
    },
    {
      name: 'Pod replaced (restart request, config change, deleted by hand): drained +1, the old Pod restarts stay counted',
      previous: map([[0, obs('a', 5)]]),
      current: map([[0, obs('b')]]),
      tasks: 1,
      increments: [{ task: 0, reason: 'drained', by: 1 }],
      started: [],
      forgotten: [],
    },
    {
      name: 'the Pod of a FAILED task replaced (auto-restart): failed +1',
      previous: map([[0, obs('a', 0, { failed: true })]]),
      current: map([[0, obs('b')]]),
      tasks: 1,
      increments: [{ task: 0, reason: 'failed', by: 1 }],
      started: [],
      forgotten: [],
    },
    {
      name: 'a replacement Pod that already crashed once: drained +1 and crashed +1',
      previous: map([[0, obs('a', 2)]]),
      current: map([[0, obs('b', 1, { lastExitCode: 1 })]]),
      tasks: 1,
      increments: [
        { task: 0, reason: 'drained', by: 1 },
        { task: 0, reason: 'crashed', by: 1 },
      ],
      started: [],
      forgotten: [],
    },
    {
      name: 'a task whose Pod is gone and not yet replaced keeps its last observation',
      previous: map([
        [0, obs('a')],
        [1, obs('b', 2)],
      ]),
      current: map([[0, obs('a')]]),
      tasks: 2,
      increments: [],
      started: [],
      forgotten: [],
    },
    {
      name: 'scaled up: the new task starts, its Pod restarts so far are counted',
      previous: map([[0, obs('a')]]),
      current: map([
        [0, obs('a')],
        [1, obs('c', 1, { lastExitCode: 1 })],
      ]),
      tasks: 2,
      increments: [{ task: 1, reason: 'crashed', by: 1 }],
      started: [1],
      forgotten: [],
    },
    {
      name: 'scaled down or stopped: the removed tasks are forgotten, an out-of-range Pod is ignored',
      previous: map([
        [0, obs('a')],
        [1, obs('b')],
        [2, obs('c')],
      ]),
      current: map([
        [0, obs('a')],
        [2, obs('c', 3)],
      ]),
      tasks: 1,
      increments: [],
      started: [],
      forgotten: [1, 2],
    },
    {
      name: 'a restartCount lower than before on the same Pod never makes the counter go down',
      previous: map([[0, obs('a', 3)]]),
      current: map([[0, obs('a', 1)]]),
      tasks: 1,
      increments: [],
      started: [],
      forgotten: [],
    },
  ])('$name', ({ previous, current, tasks, increments, started, forgotten }) => {
    const step = countTaskRestarts(previous, current, tasks);
    expect(step.increments).toEqual(increments);
    expect(step.started).toEqual(started);
    expect(step.forgotten).toEqual(forgotten);
  });

  it('the next step compares with the new Pod: its own restarts count from its own start', () => {
    const first = countTaskRestarts(map([[0, obs('a', 7)]]), map([[0, obs('b')]]), 1);
    const second = countTaskRestarts(first.next, map([[0, obs('b', 1, { lastExitCode: 1 })]]), 1);
    expect(second.increments).toEqual([{ task: 0, reason: 'crashed', by: 1 }]);
  });
});

describe('containerExitReason', () => {
  it.each([
    [0, 'finished'],
    [1, 'crashed'],
    [2, 'failed'],
    [137, 'crashed'],
    [undefined, 'crashed'],
  ])('exit %s: %s', (code, reason) => {
    expect(containerExitReason(code)).toBe(reason);
  });
});

describe('observeWorkerPods', () => {
  const pod = (
    name: string,
    taskId: string | undefined,
    extra: { restarts?: number; exitCode?: number; terminating?: boolean } = {},
  ): WorkerPodStatusView => ({
    metadata: {
      name,
      uid: `uid-${name}`,
      ...(taskId !== undefined ? { annotations: { 'kwdb-connect.io/task-id': taskId } } : {}),
      ...(extra.terminating ? { deletionTimestamp: '2026-12-04T10:00:00Z' } : {}),
    },
    status: {
      containerStatuses: [
        {
          name: 'worker',
          restartCount: extra.restarts ?? 0,
          ...(extra.exitCode !== undefined
            ? { lastState: { terminated: { exitCode: extra.exitCode } } }
            : {}),
        },
      ],
    },
  });
  const taskIdOf = (p: WorkerPodStatusView): number | undefined => {
    const text = p.metadata.annotations?.['kwdb-connect.io/task-id'];
    return text === undefined ? undefined : Number(text);
  };

  it.each([
    {
      name: 'one observation per task id, with restarts, exit code and FAILED state',
      pods: [pod('a', '0', { restarts: 2, exitCode: 1 }), pod('b', '1')],
      failed: [1],
      expected: [
        [0, { pod: 'uid-a', restarts: 2, lastExitCode: 1, failed: false }],
        [1, { pod: 'uid-b', restarts: 0, failed: true }],
      ],
    },
    {
      name: 'a Pod without a task id yet is not a task',
      pods: [pod('a', undefined, { restarts: 1 })],
      failed: [],
      expected: [],
    },
    {
      name: 'a live Pod wins over a terminating one holding the same id, whatever the order',
      pods: [pod('old', '0', { terminating: true, restarts: 4 }), pod('new', '0')],
      failed: [],
      expected: [[0, { pod: 'uid-new', restarts: 0, failed: false }]],
    },
    {
      name: 'a terminating Pod alone still holds its task',
      pods: [pod('old', '0', { terminating: true, restarts: 4 })],
      failed: [],
      expected: [[0, { pod: 'uid-old', restarts: 4, failed: false }]],
    },
  ])('$name', ({ pods, failed, expected }) => {
    expect([...observeWorkerPods(pods, taskIdOf, new Set(failed))]).toEqual(expected);
  });
});
