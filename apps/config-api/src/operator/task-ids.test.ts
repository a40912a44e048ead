import { describe, expect, it } from '@jest/globals';
import { deletionCost, parseTaskId, planTaskIds, type WorkerPodView } from './task-ids';

let clock = 0;
function pod(name: string, extra: Partial<WorkerPodView> = {}): WorkerPodView {
  clock += 1;
  return {
    name,
    resourceVersion: `rv-${name}`,
    phase: 'Running',
    terminating: false,
    createdAt: `2026-12-04T00:00:${String(clock).padStart(2, '0')}Z`,
    ...extra,
  };
}

describe('planTaskIds', () => {
  it.each([
    {
      name: 'fresh Deployment: ids 0..n-1 in creation order',
      pods: () => [pod('a'), pod('b'), pod('c')],
      replicas: 3,
      assign: { a: 0, b: 1, c: 2 },
      evict: [],
    },
    {
      name: 'a replaced Pod gets the id of the one that went',
      pods: () => [pod('a', { taskId: 0 }), pod('c', { taskId: 2 }), pod('d')],
      replicas: 3,
      assign: { d: 1 },
      evict: [],
    },
    {
      name: 'the replacement waits while the old Pod still terminates',
      pods: () => [pod('a', { taskId: 0 }), pod('b', { taskId: 1, terminating: true }), pod('d')],
      replicas: 2,
      assign: {},
      evict: [],
    },
    {
      name: 'a Pod that finished (Failed/Succeeded) no longer holds its id',
      pods: () => [pod('a', { taskId: 0, phase: 'Failed' }), pod('b')],
      replicas: 1,
      assign: { b: 0 },
      evict: [],
    },
    {
      name: 'scale-up: new Pods take the ids above the kept ones',
      pods: () => [pod('a', { taskId: 0 }), pod('b'), pod('c')],
      replicas: 3,
      assign: { b: 1, c: 2 },
      evict: [],
    },
    {
      name: 'after a scale-down the Pod left with an out-of-range id is replaced',
      pods: () => [pod('a', { taskId: 0 }), pod('c', { taskId: 2 })],
      replicas: 2,
      assign: {},
      evict: ['c'],
    },
    {
      name: 'while the ReplicaSet still scales down, nothing is evicted',
      pods: () => [pod('a', { taskId: 0 }), pod('b', { taskId: 1 }), pod('c', { taskId: 2 })],
      replicas: 2,
      assign: {},
      evict: [],
    },
    {
      name: 'a hand-edited duplicate id: the older Pod keeps it, the other goes',
      pods: () => [pod('a', { taskId: 0 }), pod('b', { taskId: 0 })],
      replicas: 2,
      assign: {},
      evict: ['b'],
    },
    {
      name: 'terminating Pods get no id',
      pods: () => [pod('a', { terminating: true })],
      replicas: 1,
      assign: {},
      evict: [],
    },
  ])('$name', ({ pods, replicas, assign, evict }) => {
    const plan = planTaskIds(pods(), replicas);
    expect(Object.fromEntries(plan.assign.map((a) => [a.pod, a.taskId]))).toEqual(assign);
    expect(plan.evict).toEqual(evict);
    for (const a of plan.assign) expect(a.resourceVersion).toBe(`rv-${a.pod}`);
  });

  it('never gives one id to two live Pods', () => {
    const pods = [
      pod('a', { taskId: 1 }),
      pod('b'),
      pod('c'),
      pod('d', { taskId: 0, terminating: true }),
      pod('e'),
    ];
    const plan = planTaskIds(pods, 4);
    const ids = [...plan.holders.keys()];
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => id >= 0 && id < 4)).toBe(true);
  });
});

describe('parseTaskId and deletionCost', () => {
  it.each([
    ['0', 0],
    ['12', 12],
    ['', undefined],
    ['-1', undefined],
    ['1.5', undefined],
    [undefined, undefined],
  ])('parseTaskId(%p) = %p', (text, id) => {
    expect(parseTaskId(text)).toBe(id);
  });

  it('higher ids are cheaper to delete, so a scale-down keeps 0..n-1', () => {
    expect(Number(deletionCost(2))).toBeLessThan(Number(deletionCost(1)));
  });
});
