// Task restarts on Kubernetes (kwdb_connect_task_restarts_total, ADR 0027): from the worker Pods
// the leader saw at its previous reconcile of a connector and the ones it sees now, the counter
// increments by task and reason. Pure; the reconciler keeps the observations and feeds the metric.
//
// A task restarts when its container's restartCount grows (the kubelet restarted the worker: the
// reason is how the container ended) or when another Pod holds its task id (the Pod was replaced:
// deleted for a restart request, an auto-restart, a config change or by hand). Increments are
// differences, so the counter never goes down, and a replaced Pod's restarts stay counted.

/** How the previous run of a task ended, with the local runtime's names (docs/metrics.md). */
export type RestartReason = 'crashed' | 'failed' | 'drained' | 'finished';

/** One task's worker Pod as one reconcile saw it. */
export interface TaskPodObservation {
  /** The Pod's uid: another uid for the same task means the Pod was replaced. */
  pod: string;
  /** restartCount of the worker container. */
  restarts: number;
  /** Exit code of the container's last termination (lastState.terminated), if the kubelet reports one. */
  lastExitCode?: number;
  /** The status topic showed the task FAILED at this observation. */
  failed: boolean;
}

/** Observations by task id. */
export type TaskObservations = ReadonlyMap<number, TaskPodObservation>;

export interface RestartIncrement {
  task: number;
  reason: RestartReason;
  by: number;
}

/** Where the counts go (config-api's task_restarts_total). */
export interface TaskRestartsSink {
  restarted(connector: string, task: number, reason: RestartReason, by: number): void;
  started(connector: string, task: number): void;
  forgotten(connector: string, task: number): void;
}

export interface RestartStep {
  increments: RestartIncrement[];
  /** Tasks seen for the first time: their `crashed` series start at 0. */
  started: number[];
  /** Tasks that no longer exist (id >= tasks): their series go. */
  forgotten: number[];
  /** What the next step compares with. */
  next: Map<number, TaskPodObservation>;
}

/** The reason of a container restart, from the exit code of the run that ended (as the local runtime names it). */
export function containerExitReason(exitCode: number | undefined): RestartReason {
  if (exitCode === 0) return 'finished';
  if (exitCode === 2) return 'failed';
  return 'crashed'; // exit 1, a signal (128 + n), OOMKilled, or no code reported
}

/**
 * previous: the last step's `next`, or undefined when this replica has not observed the connector
 * since it became leader (then everything seen is a baseline: restarts before it are not ours to
 * count, the previous leader exported them). tasks: how many tasks the connector has now.
 */
export function countTaskRestarts(
  previous: TaskObservations | undefined,
  current: TaskObservations,
  tasks: number,
): RestartStep {
  const increments: RestartIncrement[] = [];
  const started: number[] = [];
  const forgotten: number[] = [];
  const next = new Map<number, TaskPodObservation>();
  const add = (task: number, reason: RestartReason, by: number): void => {
    if (by > 0) increments.push({ task, reason, by });
  };
  for (const [task, now] of [...current].sort(([a], [b]) => a - b)) {
    if (task >= tasks) continue; // an out-of-range Pod on its way out
    next.set(task, now);
    const before = previous?.get(task);
    if (previous === undefined) {
      started.push(task);
    } else if (before === undefined) {
      // A new task (scaled up, or first seen running): all its Pod's restarts happened in view.
      started.push(task);
      add(task, containerExitReason(now.lastExitCode), now.restarts);
    } else if (before.pod === now.pod) {
      add(task, containerExitReason(now.lastExitCode), now.restarts - before.restarts);
      next.set(task, { ...now, restarts: Math.max(now.restarts, before.restarts) });
    } else {
      add(task, before.failed ? 'failed' : 'drained', 1);
      add(task, containerExitReason(now.lastExitCode), now.restarts);
    }
  }
  for (const [task, before] of previous ?? []) {
    if (next.has(task)) continue;
    if (task < tasks)
      next.set(task, before); // its Pod is being replaced: compare with the new one later
    else forgotten.push(task);
  }
  return { increments, started, forgotten: forgotten.sort((a, b) => a - b), next };
}

/** What observeWorkerPods reads of a worker Pod (the API's Pod, loosely typed). */
export interface WorkerPodStatusView {
  metadata: { uid?: string; name: string; deletionTimestamp?: string; annotations?: Record<string, string> };
  status?: {
    containerStatuses?: {
      name: string;
      restartCount?: number;
      lastState?: { terminated?: { exitCode?: number } };
    }[];
  };
}

/**
 * One observation per task id from the worker Pods (those with a task id; a live Pod before a
 * terminating one holding the same id), with the task's FAILED state from the status topic.
 */
export function observeWorkerPods(
  pods: readonly WorkerPodStatusView[],
  taskIdOf: (pod: WorkerPodStatusView) => number | undefined,
  failedTasks: ReadonlySet<number>,
  container = 'worker',
): Map<number, TaskPodObservation> {
  const observed = new Map<number, TaskPodObservation>();
  const terminatingHolders = new Set<number>();
  for (const pod of pods) {
    const task = taskIdOf(pod);
    if (task === undefined) continue;
    const terminating = pod.metadata.deletionTimestamp !== undefined;
    if (observed.has(task) && (terminating || !terminatingHolders.has(task))) continue;
    const status = pod.status?.containerStatuses?.find((c) => c.name === container);
    const exitCode = status?.lastState?.terminated?.exitCode;
    observed.set(task, {
      pod: pod.metadata.uid ?? pod.metadata.name,
      restarts: status?.restartCount ?? 0,
      ...(exitCode !== undefined ? { lastExitCode: exitCode } : {}),
      failed: failedTasks.has(task),
    });
    if (terminating) terminatingHolders.add(task);
    else terminatingHolders.delete(task);
  }
  return observed;
}
