// How many worker replicas a connector gets: spec.tasksMax bounded by the same rule as the local
// runtime (issue 10, "tasks.max cannot take the host down"): the per-connector limit, and a sink never
// runs more tasks than its topics have partitions (runnableTasks in @kwdb-connect/connector-config).
import { runnableTasks, type ConnectorKind } from '@kwdb-connect/connector-config';

export interface TaskBound {
  /** Replicas to run (before `stopped` makes it 0). */
  tasks: number;
  /** Why fewer than tasksMax, for the TasksCapped condition; undefined when not capped. */
  cappedBy?: { reason: 'ConnectorLimit' | 'TopicPartitions'; message: string };
}

export interface TaskBoundInput {
  kind: ConnectorKind;
  tasksMax: number;
  /** The configured per-connector limit (KWDB_CONNECT_MAX_TASKS_PER_CONNECTOR). */
  limit: number;
  /** For a sink: the total partition count of its topics, when known. */
  partitions?: number;
}

export function boundTasks(input: TaskBoundInput): TaskBound {
  let tasks = Math.max(1, input.tasksMax);
  let cappedBy: TaskBound['cappedBy'];
  if (tasks > input.limit) {
    tasks = input.limit;
    cappedBy = {
      reason: 'ConnectorLimit',
      message: `tasksMax ${input.tasksMax} is above the limit of ${input.limit} tasks per connector; running ${tasks}`,
    };
  }
  const runnable = runnableTasks(input.kind, tasks, input.partitions);
  if (runnable.reason !== undefined) {
    tasks = runnable.count;
    cappedBy = { reason: 'TopicPartitions', message: runnable.reason };
  }
  return cappedBy ? { tasks, cappedBy } : { tasks };
}
