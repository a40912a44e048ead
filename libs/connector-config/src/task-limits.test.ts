import { describe, expect, it } from '@jest/globals';
import { DEFAULT_TASK_LIMITS, runnableTasks, tasksMaxProblem } from './task-limits';

describe('tasksMaxProblem', () => {
  const cases: Array<{ name: string; tasksMax: number; others: number; want: string | undefined }> = [
    { name: 'within both limits', tasksMax: 4, others: 10, want: undefined },
    { name: 'exactly the per-connector limit', tasksMax: 32, others: 0, want: undefined },
    {
      name: 'the issue’s 100000',
      tasksMax: 100000,
      others: 0,
      want: 'tasks.max: 100000 is above the limit of 32 tasks per connector',
    },
    {
      name: 'over the runtime limit with other connectors',
      tasksMax: 20,
      others: 50,
      want: 'tasks.max: 20 would bring this runtime to 70 tasks, above its limit of 64 (other connectors already have 50)',
    },
  ];
  for (const c of cases) {
    it(c.name, () => expect(tasksMaxProblem(c.tasksMax, c.others, DEFAULT_TASK_LIMITS)).toBe(c.want));
  }
});

describe('runnableTasks', () => {
  const cases = [
    {
      name: 'sink with more partitions than tasks',
      kind: 'sink' as const,
      max: 3,
      partitions: 8,
      count: 3,
      reason: false,
    },
    {
      name: 'sink capped by partitions',
      kind: 'sink' as const,
      max: 10,
      partitions: 4,
      count: 4,
      reason: true,
    },
    {
      name: 'sink, partitions unknown',
      kind: 'sink' as const,
      max: 10,
      partitions: undefined,
      count: 10,
      reason: false,
    },
    {
      name: 'sink whose topics do not exist yet: not capped',
      kind: 'sink' as const,
      max: 5,
      partitions: 0,
      count: 5,
      reason: false,
    },
    {
      name: 'source is not capped by partitions',
      kind: 'source' as const,
      max: 10,
      partitions: 1,
      count: 10,
      reason: false,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = runnableTasks(c.kind, c.max, c.partitions);
      expect(result.count).toBe(c.count);
      expect(result.reason !== undefined).toBe(c.reason);
    });
  }
});
