// Task ids for Deployment Pods (which have no ordinals), decided by the leader alone:
// each live worker Pod without an id gets the lowest id in 0..replicas-1 that no live Pod holds;
// an id stays on its Pod for the Pod's whole life (a terminating Pod still holds it, so its
// replacement waits for it); a Pod whose id is out of range once the Deployment has scaled down
// is deleted, so the ids stay 0..n-1. The worker reads its id from the Pod annotation through a
// downward-API file (docs/adr/0016-task-ids-for-deployment-pods.md). Pure.

export interface WorkerPodView {
  name: string;
  /** metadata.resourceVersion, for the conflict-checked patch. */
  resourceVersion: string;
  /** Pending, Running, Succeeded, Failed, Unknown. */
  phase: string;
  terminating: boolean;
  createdAt: string;
  /** The annotation, when set. */
  taskId?: number;
}

export interface TaskIdPlan {
  /** Patch these Pods' task-id annotation (only if still unset: checked by resourceVersion). */
  assign: { pod: string; resourceVersion: string; taskId: number }[];
  /** Delete these Pods: they hold an id >= replicas after a scale-down. */
  evict: string[];
  /** Live Pods by task id (after the assignments). */
  holders: Map<number, string>;
}

const DONE = new Set(['Succeeded', 'Failed']);

export function parseTaskId(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,9}$/.test(value)) return undefined;
  return Number(value);
}

export function planTaskIds(pods: readonly WorkerPodView[], replicas: number): TaskIdPlan {
  const live = pods.filter((p) => !DONE.has(p.phase));
  const holders = new Map<number, string>();
  // Two live Pods claiming one id can only come from a hand edit; the older keeps it.
  const byAge = [...live].sort((a, b) =>
    a.createdAt === b.createdAt ? (a.name < b.name ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1,
  );
  const evict: string[] = [];
  for (const pod of byAge) {
    if (pod.taskId === undefined) continue;
    if (holders.has(pod.taskId)) {
      if (!pod.terminating) evict.push(pod.name);
      continue;
    }
    holders.set(pod.taskId, pod.name);
  }
  const assign: TaskIdPlan['assign'] = [];
  for (const pod of byAge) {
    if (pod.taskId !== undefined || pod.terminating) continue;
    let id = 0;
    while (id < replicas && holders.has(id)) id++;
    if (id >= replicas) break; // waits until a terminating Pod has gone
    holders.set(id, pod.name);
    assign.push({ pod: pod.name, resourceVersion: pod.resourceVersion, taskId: id });
  }
  // Out-of-range ids once the ReplicaSet has finished its own scale-down (live Pods <= replicas).
  const running = live.filter((p) => !p.terminating);
  if (running.length <= replicas) {
    for (const pod of running) {
      if (pod.taskId !== undefined && pod.taskId >= replicas && holders.get(pod.taskId) === pod.name) {
        evict.push(pod.name);
      }
    }
  }
  return { assign, evict, holders };
}

/**
 * `controller.kubernetes.io/pod-deletion-cost` for a Pod holding `taskId`: higher ids cost less, so
 * a scale-down removes the highest ids first and the remaining ones stay 0..n-1.
 */
export function deletionCost(taskId: number): string {
  return String(-taskId);
}
