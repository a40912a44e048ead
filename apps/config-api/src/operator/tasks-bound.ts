// How many worker replicas a connector gets: spec.tasksMax, bounded. One function, so that the rule
// of issue 10 ("tasks.max cannot take the host down": a limit per connector, and a sink never runs
// more tasks than its topics have partitions) replaces this body when it lands in
// @kwdb-connect/connector-config, without touching the operator.
import type { ConnectorKind } from '@kwdb-connect/connector-config';

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
  if (
    input.kind === 'sink' &&
    input.partitions !== undefined &&
    input.partitions > 0 &&
    tasks > input.partitions
  ) {
    tasks = input.partitions;
    cappedBy = {
      reason: 'TopicPartitions',
      message:
        `tasksMax ${input.tasksMax} is above the ${input.partitions} partition(s) of the connector's topics; ` +
        `running ${tasks} (extra tasks would own no partition)`,
    };
  }
  return cappedBy ? { tasks, cappedBy } : { tasks };
}
