import { describe, expect, it } from '@jest/globals';
import { boundTasks } from './tasks-bound';

describe('boundTasks', () => {
  it.each([
    {
      name: 'within every bound',
      input: { kind: 'sink' as const, tasksMax: 3, limit: 64, partitions: 6 },
      tasks: 3,
      reason: undefined,
    },
    {
      name: 'above the per-connector limit',
      input: { kind: 'source' as const, tasksMax: 100000, limit: 64 },
      tasks: 64,
      reason: 'ConnectorLimit',
    },
    {
      name: 'sink above its partitions',
      input: { kind: 'sink' as const, tasksMax: 5, limit: 64, partitions: 1 },
      tasks: 1,
      reason: 'TopicPartitions',
    },
    {
      name: 'sink with partitions unknown',
      input: { kind: 'sink' as const, tasksMax: 5, limit: 64 },
      tasks: 5,
      reason: undefined,
    },
    {
      name: 'partitions do not bound a source',
      input: { kind: 'source' as const, tasksMax: 5, limit: 64, partitions: 1 },
      tasks: 5,
      reason: undefined,
    },
  ])('$name', ({ input, tasks, reason }) => {
    const bound = boundTasks(input);
    expect(bound.tasks).toBe(tasks);
    expect(bound.cappedBy?.reason).toBe(reason);
  });
});
