// One level-based reconcile of one KwdbConnector (controller-runtime's Reconcile): read the
// resource and what it owns, compute the desired objects and status with the pure functions of
// desired.ts, task-ids.ts, status.ts and tasks-bound.ts, apply the differences, write the status.
// No create/update/delete branches: the same steps run whatever happened.
import type { LogLevelSetting, Logger } from '@kwdb-connect/runtime';
import type { StatusBackend } from '../services/ports';
import { resourcePath, secretPath } from '../store/kubernetes/kubernetes-connector-store';
import {
  desiredConfigMap,
  desiredDeployment,
  interpret,
  workerSelector,
  type Interpreted,
  type Json,
  type WorkerPodSettings,
} from './desired';
import { isNotFound, type KubeHttp } from './kube-http';
import {
  ANNOTATIONS,
  connectorNameOf,
  ownedNames,
  type KwdbConnector,
  type KwdbConnectorStatus,
} from './resource';
import { computeStatus, decideAutoRestart, topicsOf, type AutoRestartPolicy } from './status';
import { deletionCost, parseTaskId, planTaskIds, type WorkerPodView } from './task-ids';
import {
  countTaskRestarts,
  observeWorkerPods,
  type TaskPodObservation,
  type TaskRestartsSink,
  type WorkerPodStatusView,
} from './task-restarts';
import { boundTasks, type TaskBound } from './tasks-bound';
import { logLevelsOf, topicsResetAtOf, type WorkerFileControls } from './worker-controls';

export const FIELD_MANAGER = 'kwdb-connect-operator';

export interface ReconcilerOptions {
  http: KubeHttp;
  namespace: string;
  settings: WorkerPodSettings;
  /** Upper bound of replicas per connector (KWDB_CONNECT_MAX_TASKS_PER_CONNECTOR). */
  maxTasksPerConnector: number;
  status: StatusBackend;
  /** Total partitions of these topics, or undefined when unknown (a topic missing, Kafka down). */
  partitions: (topics: readonly string[]) => Promise<number | undefined>;
  autoRestart: AutoRestartPolicy;
  /** Re-check a connector this often while it is not Ready (task states come from Kafka, not a watch). */
  pollMs: number;
  /** The ConfigMap of the cluster-scope log levels (worker-controls.ts); none: workers get no levels. */
  logLevelsConfigMap?: string;
  logger: Logger;
  now?: () => number;
  /** kwdb_connect_task_restarts_total (ADR 0027); only the leader reconciles, so only it counts. */
  restarts?: TaskRestartsSink;
}

export interface ReconcileResult {
  /** Reconcile again after this long (undefined: only on the next event or resync). */
  requeueAfterMs?: number;
}

interface PodObject extends WorkerPodStatusView {
  metadata: {
    name: string;
    uid?: string;
    resourceVersion: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    annotations?: Record<string, string>;
  };
  status?: WorkerPodStatusView['status'] & { phase?: string };
}

interface DeploymentObject {
  metadata: { name: string };
  spec?: { template?: { metadata?: { annotations?: Record<string, string> } } };
  status?: { readyReplicas?: number; replicas?: number };
}

/** `true`, `includeTasks`, `onlyFailed` or both, as strimzi.io/restart. */
export function parseRestartAnnotation(
  value: string,
): { includeTasks: boolean; onlyFailed: boolean } | undefined {
  const parts = value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 1 && parts[0] === 'true') return { includeTasks: false, onlyFailed: false };
  if (parts.length === 0 || parts.some((p) => p !== 'includeTasks' && p !== 'onlyFailed')) return undefined;
  return { includeTasks: parts.includes('includeTasks'), onlyFailed: parts.includes('onlyFailed') };
}

/** JSON with object keys sorted, so that the API server's key order does not look like a change. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

export class Reconciler {
  private readonly o: ReconcilerOptions;
  /** Connector name and task count of each resource seen, for the status-topic tombstones on deletion. */
  private readonly seen = new Map<string, { connectorName: string; tasks: number }>();
  /** Worker Pods by task at the last reconcile of each resource, for the restart counts. */
  private readonly podsSeen = new Map<
    string,
    { connectorName: string; observations: Map<number, TaskPodObservation> }
  >();

  constructor(options: ReconcilerOptions) {
    this.o = options;
  }

  private now(): number {
    return (this.o.now ?? Date.now)();
  }

  private ns(kind: 'configmaps' | 'pods' | 'secrets' | 'deployments', name?: string): string {
    const base =
      kind === 'deployments'
        ? `/apis/apps/v1/namespaces/${this.o.namespace}`
        : `/api/v1/namespaces/${this.o.namespace}`;
    return `${base}/${kind}${name ? `/${encodeURIComponent(name)}` : ''}`;
  }

  private apply(kind: 'configmaps' | 'deployments', object: Json): Promise<unknown> {
    const name = (object['metadata'] as { name: string }).name;
    return this.o.http.request('PATCH', this.ns(kind, name), {
      patch: 'apply',
      body: object,
      query: { fieldManager: FIELD_MANAGER, force: true },
    });
  }

  async reconcile(resourceName: string): Promise<ReconcileResult> {
    const resource = await this.o.http.find<KwdbConnector>(resourcePath(this.o.namespace, resourceName));
    if (resource === undefined || resource.metadata.deletionTimestamp) {
      // Gone: its Deployment, ConfigMap and Secret go with it (owner references); clear its status.
      this.countRestarts(resourceName, undefined, [], new Map(), 0);
      const seen = this.seen.get(resourceName);
      if (seen && resource === undefined) {
        this.seen.delete(resourceName);
        const stillThere = (
          await this.o.http.get<{ items: KwdbConnector[] }>(resourcePath(this.o.namespace))
        ).items.some((r) => connectorNameOf(r) === seen.connectorName);
        if (!stillThere) {
          await this.o.status.remove(
            seen.connectorName,
            Array.from({ length: seen.tasks }, (_, i) => i),
          );
        }
      }
      return {};
    }
    const log = this.o.logger.child({ connector: connectorNameOf(resource), resource: resourceName });
    const names = ownedNames(resourceName);
    let connector: Interpreted = interpret(resource);
    if (connector.ok) {
      const duplicate = await this.olderHolder(resource);
      if (duplicate) {
        connector = {
          ok: false,
          problems: [
            `connector ${connectorNameOf(resource)} is already defined by KwdbConnector ${duplicate}`,
          ],
        };
      }
    }

    // The password Secret must exist (with its key) before Pods can mount it.
    let secretMissing: string | undefined;
    let secretVersion: string | undefined;
    if (connector.ok && connector.password) {
      const secret = await this.o.http.find<{
        metadata: { resourceVersion: string };
        data?: Record<string, string>;
      }>(secretPath(this.o.namespace, connector.password.secretName));
      if (!secret) secretMissing = `Secret ${connector.password.secretName} not found`;
      else if (secret.data?.[connector.password.key] === undefined) {
        secretMissing = `Secret ${connector.password.secretName} has no key ${connector.password.key}`;
      } else secretVersion = secret.metadata.resourceVersion;
    }

    let bound: TaskBound | undefined;
    if (connector.ok) {
      const topics = connector.kind === 'sink' ? topicsOf(connector.config) : [];
      const partitions = topics.length > 0 ? await this.o.partitions(topics) : undefined;
      bound = boundTasks({
        kind: connector.kind,
        tasksMax: connector.tasksMax,
        limit: this.o.maxTasksPerConnector,
        ...(partitions !== undefined ? { partitions } : {}),
      });
    }
    const runnable = connector.ok && secretMissing === undefined;
    const replicas =
      runnable && connector.ok && connector.targetState !== 'STOPPED' ? (bound?.tasks ?? 0) : 0;

    const existing = await this.o.http.find<DeploymentObject>(this.ns('deployments', names.deployment));
    let restartedAt = existing?.spec?.template?.metadata?.annotations?.[ANNOTATIONS.restartedAt];
    const pods = await this.workerPods(resourceName);
    const published = connector.ok
      ? await this.o.status.read(connector.connectorName)
      : { connector: undefined, tasks: new Map() };

    this.countRestarts(resourceName, connectorNameOf(resource), pods, published.tasks, replicas);

    // One-off requests by annotation (the REST restart endpoints write them too).
    const annotations = resource.metadata.annotations ?? {};
    const restartTasks = new Set<number>();
    const consumed: string[] = [];
    const restartValue = annotations[ANNOTATIONS.restart];
    if (restartValue !== undefined) {
      consumed.push(ANNOTATIONS.restart);
      const flags = parseRestartAnnotation(restartValue);
      if (!flags)
        log.warn(
          { value: restartValue },
          `ignoring ${ANNOTATIONS.restart}: use true, includeTasks, onlyFailed or includeTasks,onlyFailed`,
        );
      else if (connector.ok) {
        if (flags.includeTasks && !flags.onlyFailed) restartedAt = new Date(this.now()).toISOString();
        if (flags.includeTasks && flags.onlyFailed) {
          for (const [id, t] of published.tasks) if (t.state === 'FAILED') restartTasks.add(id);
        }
        if (!flags.onlyFailed || published.connector?.state === 'FAILED') {
          await this.o.status.publishConnector(connector.connectorName, connector.targetState);
        }
        log.info({ ...flags }, 'restart requested by annotation');
      }
    }
    const taskValue = annotations[ANNOTATIONS.restartTask];
    if (taskValue !== undefined) {
      consumed.push(ANNOTATIONS.restartTask);
      for (const part of taskValue.split(',')) {
        const id = parseTaskId(part.trim());
        if (id === undefined)
          log.warn({ value: taskValue }, `ignoring a bad task id in ${ANNOTATIONS.restartTask}`);
        else restartTasks.add(id);
      }
    }

    // Auto-restart of FAILED tasks, with backoff.
    let autoRestart: KwdbConnectorStatus['autoRestart'] = resource.status?.autoRestart;
    let requeueAfterMs: number | undefined;
    if (connector.ok && connector.targetState !== 'STOPPED') {
      const failed = [...published.tasks]
        .filter(([id, t]) => id < replicas && t.state === 'FAILED')
        .map(([id]) => id);
      const decision = decideAutoRestart(
        resource.spec.autoRestart,
        autoRestart,
        failed,
        this.now(),
        this.o.autoRestart,
      );
      if (decision.action === 'restart') {
        for (const id of decision.tasks) restartTasks.add(id);
        autoRestart = decision.next;
        log.info({ tasks: decision.tasks, count: decision.next.count }, 'auto-restarting FAILED tasks');
      } else {
        autoRestart = decision.state;
        if (decision.action === 'wait') requeueAfterMs = Math.max(1000, decision.untilMs - this.now());
      }
    }

    let applyError: string | undefined;
    try {
      if (connector.ok && runnable) {
        const controls: WorkerFileControls = {
          logLevels: await this.clusterLogLevels(),
          activeTopicsResetAt: topicsResetAtOf(annotations[ANNOTATIONS.topicsResetAt]),
        };
        await this.apply('configmaps', desiredConfigMap(resource, connector, controls) as unknown as Json);
        await this.apply(
          'deployments',
          desiredDeployment({
            resource,
            connector,
            settings: this.o.settings,
            replicas,
            ...(secretVersion ? { secretVersion } : {}),
            ...(restartedAt ? { restartedAt } : {}),
          }),
        );
      } else if (existing) {
        // Invalid spec or no password: run nothing rather than a config the user did not ask for.
        await this.o.http.request('PATCH', this.ns('deployments', names.deployment), {
          patch: 'merge',
          body: { spec: { replicas: 0 } },
        });
      }
      await this.assignTaskIds(pods, replicas, restartTasks, log);
    } catch (error) {
      applyError = (error as Error).message;
      log.warn({ err: error }, 'applying the connector objects failed');
    }

    if (consumed.length > 0) {
      await this.o.http.request('PATCH', resourcePath(this.o.namespace, resourceName), {
        patch: 'merge',
        body: { metadata: { annotations: Object.fromEntries(consumed.map((a) => [a, null])) } },
      });
    }
    if (
      connector.ok &&
      connector.targetState !== published.connector?.state &&
      published.connector?.state !== 'FAILED'
    ) {
      await this.o.status.publishConnector(connector.connectorName, connector.targetState);
    }

    const deployment = await this.o.http.find<DeploymentObject>(this.ns('deployments', names.deployment));
    const status = computeStatus({
      resource,
      connector,
      bound,
      desiredReplicas: replicas,
      readyReplicas: deployment?.status?.readyReplicas ?? 0,
      published: connector.ok ? await this.o.status.read(connector.connectorName) : published,
      workerId: this.o.status.workerId,
      ...(secretMissing ? { secretMissing } : {}),
      ...(applyError ? { applyError } : {}),
      autoRestart,
      now: new Date(this.now()).toISOString(),
    });
    if (canonicalJson(status) !== canonicalJson(resource.status ?? {})) {
      await this.o.http.request('PATCH', `${resourcePath(this.o.namespace, resourceName)}/status`, {
        patch: 'merge',
        body: { status: { ...status, autoRestart: status.autoRestart ?? null } },
      });
    }
    if (connector.ok)
      this.seen.set(resourceName, {
        connectorName: connector.connectorName,
        tasks: Math.max(replicas, this.seen.get(resourceName)?.tasks ?? 0),
      });
    const ready = status.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    if (!ready && connector.ok && runnable)
      requeueAfterMs = Math.min(requeueAfterMs ?? this.o.pollMs, this.o.pollMs);
    return requeueAfterMs !== undefined ? { requeueAfterMs } : {};
  }

  /** Feeds task_restarts_total from the worker Pods seen now and at the last reconcile (task-restarts.ts). */
  private countRestarts(
    resourceName: string,
    connectorName: string | undefined,
    pods: readonly PodObject[],
    published: ReadonlyMap<number, { state: string }>,
    tasks: number,
  ): void {
    const sink = this.o.restarts;
    if (!sink) return;
    const before = this.podsSeen.get(resourceName);
    if (before && before.connectorName !== connectorName) {
      // Deleted, or renamed: the old name's series go; a new name starts from a baseline.
      for (const task of before.observations.keys()) sink.forgotten(before.connectorName, task);
      this.podsSeen.delete(resourceName);
    }
    if (connectorName === undefined) return;
    const failed = new Set([...published].filter(([, t]) => t.state === 'FAILED').map(([id]) => id));
    const current = observeWorkerPods(
      pods,
      (p) => parseTaskId(p.metadata.annotations?.[ANNOTATIONS.taskId]),
      failed,
    );
    const step = countTaskRestarts(this.podsSeen.get(resourceName)?.observations, current, tasks);
    for (const task of step.started) sink.started(connectorName, task);
    for (const i of step.increments) sink.restarted(connectorName, i.task, i.reason, i.by);
    for (const task of step.forgotten) sink.forgotten(connectorName, task);
    this.podsSeen.set(resourceName, { connectorName, observations: step.next });
  }

  /** Leadership lost: forget every count (the next leader exports them from its own baseline). */
  forgetRestarts(): void {
    for (const [resourceName] of this.podsSeen) this.countRestarts(resourceName, undefined, [], new Map(), 0);
  }

  /** Another, older resource that defines the same connector name. */
  private async olderHolder(resource: KwdbConnector): Promise<string | undefined> {
    const all = (await this.o.http.get<{ items: KwdbConnector[] }>(resourcePath(this.o.namespace))).items;
    const name = connectorNameOf(resource);
    const created = resource.metadata.creationTimestamp ?? '';
    const older = all.find(
      (r) =>
        r.metadata.name !== resource.metadata.name &&
        connectorNameOf(r) === name &&
        ((r.metadata.creationTimestamp ?? '') < created ||
          ((r.metadata.creationTimestamp ?? '') === created && r.metadata.name < resource.metadata.name)),
    );
    return older?.metadata.name;
  }

  /** The cluster-scope log levels (none when the ConfigMap does not exist yet). */
  private async clusterLogLevels(): Promise<LogLevelSetting[]> {
    if (this.o.logLevelsConfigMap === undefined) return [];
    const map = await this.o.http.find<{ data?: Record<string, string> }>(
      this.ns('configmaps', this.o.logLevelsConfigMap),
    );
    return logLevelsOf(map?.data);
  }

  private async workerPods(resourceName: string): Promise<PodObject[]> {
    const selector = Object.entries(workerSelector(resourceName))
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const list = await this.o.http.request<{ items: PodObject[] }>('GET', this.ns('pods'), {
      query: { labelSelector: selector },
    });
    return list.items;
  }

  private async assignTaskIds(
    pods: PodObject[],
    replicas: number,
    restart: ReadonlySet<number>,
    log: Logger,
  ): Promise<void> {
    const views: WorkerPodView[] = pods.map((p) => {
      const taskId = parseTaskId(p.metadata.annotations?.[ANNOTATIONS.taskId]);
      return {
        name: p.metadata.name,
        resourceVersion: p.metadata.resourceVersion,
        phase: p.status?.phase ?? 'Pending',
        terminating: p.metadata.deletionTimestamp !== undefined,
        createdAt: p.metadata.creationTimestamp ?? '',
        ...(taskId !== undefined ? { taskId } : {}),
      };
    });
    const plan = planTaskIds(views, replicas);
    for (const a of plan.assign) {
      const pod = pods.find((p) => p.metadata.name === a.pod);
      const add = {
        [ANNOTATIONS.taskId]: String(a.taskId),
        'controller.kubernetes.io/pod-deletion-cost': deletionCost(a.taskId),
      };
      const ops: unknown[] = [{ op: 'test', path: '/metadata/resourceVersion', value: a.resourceVersion }];
      if (pod?.metadata.annotations) {
        for (const [k, v] of Object.entries(add))
          ops.push({ op: 'add', path: `/metadata/annotations/${escapePointer(k)}`, value: v });
      } else ops.push({ op: 'add', path: '/metadata/annotations', value: add });
      try {
        await this.o.http.request('PATCH', this.ns('pods', a.pod), { patch: 'json', body: ops });
        log.info({ pod: a.pod, task: a.taskId }, 'task id assigned');
      } catch (error) {
        // The Pod changed or went meanwhile: the next reconcile sees it as it is now.
        log.debug({ err: error, pod: a.pod }, 'task id not assigned this round');
      }
    }
    const toDelete = new Set(plan.evict);
    for (const id of restart) {
      const holder = plan.holders.get(id);
      if (holder) toDelete.add(holder);
    }
    for (const name of toDelete) {
      try {
        await this.o.http.request('DELETE', this.ns('pods', name));
        log.info(
          { pod: name },
          plan.evict.includes(name)
            ? 'deleted a Pod holding an out-of-range task id'
            : 'restarting a task: Pod deleted',
        );
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
  }
}
