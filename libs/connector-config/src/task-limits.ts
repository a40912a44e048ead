// How many tasks a connector may ask for and how many it actually runs (issue 10 point 3). Pure:
// config-api's validation and local runtime use it, and the Kubernetes operator applies the same
// rule to replicas.

/** The bounds of tasks.max: per connector, and over every connector of one runtime. */
export interface TaskLimits {
  /** Highest tasks.max of one connector. */
  perConnector: number;
  /** Highest sum of tasks.max over the runtime's connectors that are not STOPPED. */
  perRuntime: number;
}

/**
 * Defaults (config-api: KWDB_CONNECT_MAX_TASKS_PER_CONNECTOR, KWDB_CONNECT_MAX_TASKS). A task is a
 * process (local runtime) or a Pod (Kubernetes) of about 100-200 MB; 32 per connector matches the
 * claims topic's 32 partitions of a source connector, beyond which extra source tasks own nothing.
 */
export const DEFAULT_TASK_LIMITS: TaskLimits = { perConnector: 32, perRuntime: 64 };

/** The refusal of a tasks.max above a limit, naming the key and the limit; undefined when allowed. */
export function tasksMaxProblem(
  tasksMax: number,
  /** Sum of tasks.max of the runtime's other connectors that are not STOPPED. */
  otherTasks: number,
  limits: TaskLimits,
): string | undefined {
  if (tasksMax > limits.perConnector) {
    return `tasks.max: ${tasksMax} is above the limit of ${limits.perConnector} tasks per connector`;
  }
  if (otherTasks + tasksMax > limits.perRuntime) {
    return (
      `tasks.max: ${tasksMax} would bring this runtime to ${otherTasks + tasksMax} tasks, above its limit ` +
      `of ${limits.perRuntime} (other connectors already have ${otherTasks})`
    );
  }
  return undefined;
}

export interface RunnableTasks {
  /** Tasks to run: 0 .. count-1. */
  count: number;
  /** Why fewer than tasks.max run; undefined when all do. */
  reason?: string;
}

/**
 * Tasks a connector runs. A sink task reads partitions of its topics from one consumer group, so
 * tasks beyond the topics' partition count would own nothing: a sink runs at most that many
 * (`topicPartitions` undefined or 0: not known, e.g. topics.regex, topics not created yet or Kafka
 * unreachable; then tasks.max).
 */
export function runnableTasks(
  kind: 'sink' | 'source',
  tasksMax: number,
  topicPartitions: number | undefined,
): RunnableTasks {
  // 0: the topics do not exist yet (they may be created later): not a reason to cap.
  if (kind !== 'sink' || !topicPartitions || topicPartitions >= tasksMax) return { count: tasksMax };
  const count = topicPartitions;
  return {
    count,
    reason:
      `tasks.max is ${tasksMax} but the connector's topics have ${topicPartitions} partition(s) in all; ` +
      `${count} task(s) run (a sink task beyond the partition count would own nothing)`,
  };
}
