// The status of a KwdbConnector, as a pure function of what the operator observed: the checked
// spec, the task bound, the Deployment's ready replicas, the status topic, the password Secret.
// Also the auto-restart decision. Conditions keep their lastTransitionTime while unchanged.
import type { PublishedStatus } from '../services/ports';
import type { Interpreted } from './desired';
import type { Condition, ConnectorStatusShape, KwdbConnector, KwdbConnectorStatus } from './resource';
import type { TaskBound } from './tasks-bound';

export interface StatusInput {
  resource: KwdbConnector;
  connector: Interpreted;
  bound: TaskBound | undefined;
  /** Replicas the Deployment is asked for (0 when stopped or invalid). */
  desiredReplicas: number;
  readyReplicas: number;
  published: PublishedStatus;
  /** The worker id config-api publishes connector states with. */
  workerId: string;
  secretMissing?: string;
  /** A problem applying the objects (shown in Ready). */
  applyError?: string;
  autoRestart: KwdbConnectorStatus['autoRestart'];
  now: string;
}

function condition(
  previous: readonly Condition[] | undefined,
  type: string,
  status: Condition['status'],
  reason: string,
  message: string,
  now: string,
): Condition {
  const before = previous?.find((c) => c.type === type);
  const lastTransitionTime = before && before.status === status ? before.lastTransitionTime : now;
  return { type, status, reason, message, lastTransitionTime };
}

export function topicsOf(config: Readonly<Record<string, string>>): string[] {
  const topics = config['topics'];
  if (topics === undefined) return [];
  return [
    ...new Set(
      topics
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t !== ''),
    ),
  ].sort();
}

export function computeStatus(input: StatusInput): KwdbConnectorStatus {
  const { resource, connector: c, now } = input;
  const previous = resource.status?.conditions;
  const generation = resource.metadata.generation;
  const conditions: Condition[] = [];
  if (!c.ok) {
    const message = c.problems.join('; ');
    conditions.push(condition(previous, 'Ready', 'False', 'InvalidConfig', message, now));
    return {
      conditions,
      ...(generation !== undefined ? { observedGeneration: generation } : {}),
      state: 'FAILED',
      tasks: `0/0`,
      tasksMax: 0,
      replicas: input.readyReplicas,
      topics: [],
      connectorStatus: {
        name: resource.spec.connectorName ?? resource.metadata.name,
        connector: { state: 'FAILED', worker_id: input.workerId, trace: message },
        tasks: [],
        type: 'unknown',
      },
      ...(input.autoRestart ? { autoRestart: input.autoRestart } : {}),
    };
  }
  const desired = input.desiredReplicas;
  const taskIds = c.targetState === 'STOPPED' ? [] : Array.from({ length: desired }, (_, i) => i);
  const tasks: ConnectorStatusShape['tasks'] = taskIds.map((id) => {
    const t = input.published.tasks.get(id);
    if (t === undefined) return { id, state: 'UNASSIGNED', worker_id: input.workerId };
    return { id, state: t.state, worker_id: t.worker_id, ...(t.trace ? { trace: t.trace } : {}) };
  });
  const connectorState = input.published.connector ?? { state: c.targetState, worker_id: input.workerId };
  const wanted = c.targetState === 'PAUSED' ? 'PAUSED' : 'RUNNING';
  const healthy = tasks.filter((t) => t.state === wanted).length;
  const failed = tasks.filter((t) => t.state === 'FAILED').map((t) => t.id);

  let ready: Condition;
  if (input.secretMissing) {
    ready = condition(previous, 'Ready', 'False', 'SecretMissing', input.secretMissing, now);
  } else if (input.applyError) {
    ready = condition(previous, 'Ready', 'False', 'ApplyFailed', input.applyError, now);
  } else if (c.targetState === 'STOPPED') {
    ready = condition(previous, 'Ready', 'True', 'Stopped', 'The connector is stopped: no worker Pods', now);
  } else if (failed.length > 0) {
    ready = condition(previous, 'Ready', 'False', 'TaskFailed', `Task(s) ${failed.join(', ')} FAILED`, now);
  } else if (healthy === desired && input.readyReplicas >= desired) {
    ready = condition(
      previous,
      'Ready',
      'True',
      wanted === 'PAUSED' ? 'Paused' : 'Running',
      `${healthy} of ${desired} task(s) ${wanted}`,
      now,
    );
  } else {
    ready = condition(
      previous,
      'Ready',
      'False',
      'TasksStarting',
      `${healthy} of ${desired} task(s) ${wanted}, ${input.readyReplicas} worker Pod(s) ready`,
      now,
    );
  }
  conditions.push(ready);
  conditions.push(
    input.bound?.cappedBy
      ? condition(
          previous,
          'TasksCapped',
          'True',
          input.bound.cappedBy.reason,
          input.bound.cappedBy.message,
          now,
        )
      : condition(
          previous,
          'TasksCapped',
          'False',
          'WithinBound',
          `Running tasksMax (${c.tasksMax}) tasks`,
          now,
        ),
  );
  return {
    conditions,
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
    state: failed.length > 0 && c.targetState !== 'STOPPED' ? 'FAILED' : connectorState.state,
    tasks: `${healthy}/${desired}`,
    tasksMax: desired,
    replicas: input.readyReplicas,
    topics: c.kind === 'sink' ? topicsOf(c.config) : [],
    connectorStatus: {
      name: c.connectorName,
      connector: {
        state: connectorState.state,
        worker_id: connectorState.worker_id,
        ...(connectorState.trace ? { trace: connectorState.trace } : {}),
      },
      tasks,
      type: c.kind,
    },
    ...(input.autoRestart ? { autoRestart: input.autoRestart } : {}),
  };
}

export interface AutoRestartPolicy {
  /** First wait after a failure before restarting; doubles per restart. */
  initialMs: number;
  maxMs: number;
  /** The count goes back to 0 after this long without a FAILED task. */
  resetAfterMs: number;
}

export const DEFAULT_AUTO_RESTART: AutoRestartPolicy = {
  initialMs: 2 * 60_000,
  maxMs: 60 * 60_000,
  resetAfterMs: 60 * 60_000,
};

export type AutoRestartDecision =
  | { action: 'restart'; tasks: number[]; next: NonNullable<KwdbConnectorStatus['autoRestart']> }
  | { action: 'wait'; untilMs: number; state: KwdbConnectorStatus['autoRestart'] }
  | { action: 'none'; state: KwdbConnectorStatus['autoRestart'] };

/** Whether to restart the FAILED tasks now (Strimzi's autoRestart, with doubling backoff). */
export function decideAutoRestart(
  spec: KwdbConnector['spec']['autoRestart'],
  state: KwdbConnectorStatus['autoRestart'],
  failedTasks: readonly number[],
  nowMs: number,
  policy: AutoRestartPolicy,
): AutoRestartDecision {
  const count = state?.count ?? 0;
  const last = state?.lastRestartTimestamp ? Date.parse(state.lastRestartTimestamp) : undefined;
  if (failedTasks.length === 0) {
    if (count > 0 && last !== undefined && nowMs - last >= policy.resetAfterMs)
      return { action: 'none', state: { count: 0 } };
    return { action: 'none', state };
  }
  if (!spec?.enabled) return { action: 'none', state };
  if (spec.maxRestarts !== undefined && count >= spec.maxRestarts) return { action: 'none', state };
  const wait = Math.min(policy.maxMs, policy.initialMs * 2 ** count);
  const due = last === undefined ? nowMs : last + wait;
  if (nowMs < due) {
    return {
      action: 'wait',
      untilMs: due,
      state: { ...state, count, nextRestartAfter: new Date(due).toISOString() },
    };
  }
  return {
    action: 'restart',
    tasks: [...failedTasks],
    next: { count: count + 1, lastRestartTimestamp: new Date(nowMs).toISOString() },
  };
}
