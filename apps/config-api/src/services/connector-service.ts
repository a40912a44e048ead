// The use cases of Kafka Connect's REST API, independent of HTTP: routes call these, these call the
// store, the status and offsets backends and the runtime. Every change of a connector is
// serialised through one queue, so two requests never interleave their read-modify-write.
import {
  CONNECTOR_CLASSES,
  connectorNameProblem,
  CONNECTOR_PLUGIN_VERSION,
  DEFAULT_TASK_LIMITS,
  STRING_CONVERTER,
  describeConfigKeys,
  parseConnectorConfig,
  resolveConnectorClass,
  tasksMaxProblem,
  validateForRest,
  type ConfigInfos,
  type ConfigKeyInfo,
  type ConnectorKind,
  type TaskLimits,
} from '@kwdb-connect/connector-config';
import type { Logger } from '@kwdb-connect/runtime';
import { DEFAULT_TOPIC_TRACKING, type TopicTracking } from '../config';
import {
  AlreadyExistsError,
  BadRequestError,
  connectorNotFound,
  ForbiddenError,
  InvalidConfigError,
  NotFoundError,
} from '../errors';
import {
  TARGET_STATES,
  type ConnectorDefinition,
  type ConnectorStore,
  type TargetState,
} from '../store/connector-store';
import {
  applyPatch,
  shownConfig,
  splitPassword,
  toStringMap,
  withPassword,
  type FlatConfig,
} from './config-values';
import { CONNECT_REST_API_VERSION } from '../version';
import {
  NO_WORKER_CONTROL,
  type ConnectorOffset,
  type ConnectorRuntime,
  type InstanceStatus,
  type OffsetsBackend,
  type StatusBackend,
  type WorkerControl,
} from './ports';

/** The connector plugins' version (GET /connector-plugins, status `version`). */
export const CONNECTOR_VERSION = CONNECTOR_PLUGIN_VERSION;

export type ConnectorType = ConnectorKind | 'unknown';

/** Kafka Connect's ConnectorInfo. */
export interface ConnectorInfo {
  name: string;
  config: FlatConfig;
  tasks: { connector: string; task: number }[];
  type: ConnectorType;
}

export interface TaskState extends InstanceStatus {
  id: number;
}

/** Kafka Connect's ConnectorStateInfo. */
export interface ConnectorStateInfo {
  name: string;
  connector: InstanceStatus;
  tasks: TaskState[];
  type: ConnectorType;
}

export interface PluginInfo {
  class: string;
  type: ConnectorKind | 'converter';
  version: string;
}

export interface ConnectorServiceDeps {
  store: ConnectorStore;
  status: StatusBackend;
  offsets: OffsetsBackend;
  runtime: ConnectorRuntime;
  /** Default: no workers to tell (NO_WORKER_CONTROL). */
  workers?: WorkerControl;
  logger: Logger;
  /** Bounds of tasks.max (issue 10 point 3); default DEFAULT_TASK_LIMITS. */
  taskLimits?: TaskLimits;
  /** topic.tracking.enable and topic.tracking.allow.reset (KIP-558); default both true. */
  topicTracking?: TopicTracking;
}

export function kindOf(config: Readonly<FlatConfig>): ConnectorKind | undefined {
  const value = config['connector.class'];
  return value === undefined ? undefined : resolveConnectorClass(value);
}

/** `tasks.max` of a stored (hence valid) config; 1 when absent. */
export function tasksMaxOf(config: Readonly<FlatConfig>): number {
  const n = Number(config['tasks.max'] ?? '1');
  return Number.isSafeInteger(n) && n >= 1 ? n : 1;
}

function taskIdsOf(definition: ConnectorDefinition): number[] {
  if (definition.targetState === 'STOPPED' || definition.noTaskConfigs === true) return [];
  return Array.from({ length: tasksMaxOf(definition.config) }, (_, i) => i);
}

/**
 * The definition with a new target state. Running generates task configs; stopping drops them
 * (Kafka Connect's stop empties them); pausing keeps whatever there is.
 */
export function withTargetState(definition: ConnectorDefinition, state: TargetState): ConnectorDefinition {
  const { noTaskConfigs: _dropped, ...rest } = definition;
  if (state === 'RUNNING') return { ...rest, targetState: state };
  if (state === 'STOPPED') return { ...rest, targetState: state, noTaskConfigs: true };
  return { ...definition, targetState: state };
}

const STOP_FIRST =
  'Connectors must be in the STOPPED state before their offsets can be modified. This can be done ' +
  "for the specified connector by issuing a 'PUT' request to the '/connectors/%s/stop' endpoint";

export class ConnectorService {
  private readonly deps: ConnectorServiceDeps;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(deps: ConnectorServiceDeps) {
    this.deps = deps;
  }

  /** Runs `work` after every earlier change has finished. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  // ---- reading -------------------------------------------------------------------------------

  async names(): Promise<string[]> {
    return this.deps.store.list();
  }

  private async require(name: string): Promise<ConnectorDefinition> {
    const definition = await this.deps.store.get(name);
    if (definition === undefined) throw connectorNotFound(name);
    return definition;
  }

  private async info(definition: ConnectorDefinition): Promise<ConnectorInfo> {
    const secrets = await this.deps.store.getSecrets(definition.name);
    return {
      name: definition.name,
      config: shownConfig(definition.config, secrets.password !== undefined),
      tasks: taskIdsOf(definition).map((task) => ({ connector: definition.name, task })),
      type: kindOf(definition.config) ?? 'unknown',
    };
  }

  async getInfo(name: string): Promise<ConnectorInfo> {
    return this.info(await this.require(name));
  }

  async getConfig(name: string): Promise<FlatConfig> {
    return (await this.getInfo(name)).config;
  }

  async getStatus(name: string): Promise<ConnectorStateInfo> {
    return this.stateOf(await this.require(name));
  }

  private async stateOf(definition: ConnectorDefinition): Promise<ConnectorStateInfo> {
    const published = await this.deps.status.read(definition.name);
    const workerId = this.deps.status.workerId;
    // Kafka Connect 4.1 shows the plugin version of every instance; records without one (older
    // workers) and instances nobody published yet show the version of this build.
    const versioned = (s: InstanceStatus): InstanceStatus => ({
      ...s,
      version: s.version ?? CONNECTOR_VERSION,
    });
    const connector = versioned(
      published.connector ?? { state: definition.targetState, worker_id: workerId },
    );
    const tasks = taskIdsOf(definition).map((id): TaskState => {
      const task = published.tasks.get(id);
      return { id, ...versioned(task ?? { state: 'UNASSIGNED', worker_id: workerId }) };
    });
    return { name: definition.name, connector, tasks, type: kindOf(definition.config) ?? 'unknown' };
  }

  async getTasks(name: string): Promise<{ id: { connector: string; task: number }; config: FlatConfig }[]> {
    const definition = await this.require(name);
    const info = await this.info(definition);
    return info.tasks.map((id) => ({ id, config: { ...info.config, 'task.id': String(id.task) } }));
  }

  async getTaskStatus(name: string, taskId: string): Promise<TaskState> {
    const state = await this.getStatus(name);
    const task = state.tasks.find((t) => String(t.id) === taskId);
    if (task === undefined) throw new NotFoundError(`Task ${name}-${taskId} not found`);
    return task;
  }

  /** `GET /connectors?expand=status&expand=info`. */
  async expanded(
    expand: ReadonlySet<string>,
  ): Promise<Record<string, { status?: ConnectorStateInfo; info?: ConnectorInfo }>> {
    const out: Record<string, { status?: ConnectorStateInfo; info?: ConnectorInfo }> = {};
    for (const name of await this.names()) {
      const definition = await this.deps.store.get(name);
      if (definition === undefined) continue; // deleted meanwhile
      const entry: { status?: ConnectorStateInfo; info?: ConnectorInfo } = {};
      if (expand.has('status')) entry.status = await this.stateOf(definition);
      if (expand.has('info')) entry.info = await this.info(definition);
      out[name] = entry;
    }
    return out;
  }

  /** Connectors by target state (the connectors-by-state gauge). */
  async countByState(): Promise<Record<TargetState, number>> {
    const counts: Record<TargetState, number> = { RUNNING: 0, PAUSED: 0, STOPPED: 0 };
    for (const { state } of await this.targetStates()) counts[state] += 1;
    return counts;
  }

  /**
   * Every task's state as GET .../status shows it (the status topic, read so far; no published
   * state yet: UNASSIGNED). Tasks whose process has exited stay here, e.g. FAILED ones.
   */
  async taskStates(): Promise<{ connector: string; task: number; state: string }[]> {
    const out: { connector: string; task: number; state: string }[] = [];
    for (const name of await this.names()) {
      const definition = await this.deps.store.get(name);
      if (definition === undefined || definition.targetState === 'STOPPED') continue;
      const published = this.deps.status.current(name);
      for (const task of taskIdsOf(definition)) {
        out.push({ connector: name, task, state: published.tasks.get(task)?.state ?? 'UNASSIGNED' });
      }
    }
    return out;
  }

  /** Every connector's target state (the per-connector state gauge). */
  async targetStates(): Promise<{ connector: string; state: TargetState }[]> {
    const out: { connector: string; state: TargetState }[] = [];
    for (const name of await this.names()) {
      const definition = await this.deps.store.get(name);
      if (definition) out.push({ connector: name, state: definition.targetState });
    }
    return out;
  }

  // ---- health ------------------------------------------------------------------------------

  /**
   * Kafka Connect's health check (KIP-1017): healthy when a no-op passes the queue every change goes
   * through within `timeoutMs` (Connect sends one through its herder thread) and the status and
   * offsets topics are still followed.
   */
  async healthCheck(timeoutMs: number): Promise<{ healthy: true } | { healthy: false; details: string }> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([this.serial(async () => 'done' as const), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      return {
        healthy: false,
        details: `A connector change has been running for more than ${timeoutMs} ms.`,
      };
    }
    const status = this.deps.status.failure?.();
    if (status) return { healthy: false, details: `The status topic reader stopped: ${status.message}` };
    const offsets = this.deps.offsets.failure?.();
    if (offsets) return { healthy: false, details: `The offsets topic reader stopped: ${offsets.message}` };
    return { healthy: true };
  }

  // ---- validation ----------------------------------------------------------------------------

  /** Throws InvalidConfigError listing every problem, tasks.max above its limits included. */
  private async validate(config: FlatConfig): Promise<ConnectorKind> {
    const result = parseConnectorConfig(config);
    const kind = kindOf(config);
    const problems = result.ok ? [] : result.errors.map((p) => p.message);
    const limit = result.ok ? await this.tasksMaxProblem(config) : undefined;
    if (limit !== undefined) problems.push(limit);
    if (!result.ok || limit !== undefined) {
      const hint = kind
        ? CONNECTOR_CLASSES[kind].split('.').pop()
        : (config['connector.class'] ?? '{connectorType}');
      throw new InvalidConfigError(problems, hint ?? '{connectorType}');
    }
    return result.config.kind;
  }

  /** tasks.max of `config` against the per-connector and per-runtime limits (other connectors: stored ones). */
  private async tasksMaxProblem(config: Readonly<FlatConfig>): Promise<string | undefined> {
    let others = 0;
    for (const other of await this.deps.store.list()) {
      if (other === config['name']) continue;
      const definition = await this.deps.store.get(other);
      if (definition !== undefined && definition.targetState !== 'STOPPED') {
        others += tasksMaxOf(definition.config);
      }
    }
    return tasksMaxProblem(tasksMaxOf(config), others, this.deps.taskLimits ?? DEFAULT_TASK_LIMITS);
  }

  // ---- changing ------------------------------------------------------------------------------

  /** `POST /connectors`: `{"name", "config", "initial_state"?}`. */
  create(body: unknown): Promise<ConnectorInfo> {
    return this.serial(async () => {
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new BadRequestError('Request body must be a JSON object {"name": ..., "config": {...}}');
      }
      const request = body as Record<string, unknown>;
      const name = request['name'];
      if (typeof name !== 'string') throw new BadRequestError('Connector name must be a non-empty string');
      const nameProblem = connectorNameProblem(name);
      if (nameProblem !== undefined) throw new BadRequestError(nameProblem);
      if (request['config'] === undefined || request['config'] === null) {
        throw new BadRequestError('Connector config must be given as a JSON object in "config"');
      }
      const config = toStringMap(request['config']);
      if (config['name'] !== undefined && config['name'] !== name) {
        throw new BadRequestError(
          `Connector name configuration (${config['name']}) doesn't match connector name in the URL (${name})`,
        );
      }
      const initial = request['initial_state'] ?? 'RUNNING';
      if (typeof initial !== 'string' || !TARGET_STATES.includes(initial.toUpperCase() as TargetState)) {
        throw new BadRequestError(
          `Invalid initial_state ${JSON.stringify(initial)}; use one of ${TARGET_STATES.join(', ')}`,
        );
      }
      const targetState = initial.toUpperCase() as TargetState;
      if ((await this.deps.store.get(name)) !== undefined) {
        throw new AlreadyExistsError(`Connector ${name} already exists`);
      }
      const full = { ...config, name };
      await this.validate(full);
      const { config: publicConfig, password } = splitPassword(full, undefined);
      const now = new Date().toISOString();
      const definition: ConnectorDefinition = {
        name,
        config: publicConfig,
        targetState,
        generation: 1,
        createdAt: now,
        updatedAt: now,
        // Kafka Connect generates task configs only once the connector runs.
        ...(targetState === 'RUNNING' ? {} : { noTaskConfigs: true }),
      };
      await this.deps.store.create(definition, password === undefined ? {} : { password });
      this.deps.logger.info(
        { connector: name, config: shownConfig(publicConfig, password !== undefined), targetState },
        'connector created',
      );
      await this.deps.status.publishConnector(name, targetState);
      await this.deps.runtime.changed(name);
      return this.info(definition);
    });
  }

  /** `PUT /connectors/{name}/config`: creates (created=true) or replaces the config. */
  putConfig(name: string, body: unknown): Promise<{ info: ConnectorInfo; created: boolean }> {
    return this.serial(async () => {
      const given = toStringMap(body);
      if (given['name'] !== undefined && given['name'] !== name) {
        throw new BadRequestError(
          `Connector name configuration (${given['name']}) doesn't match connector name in the URL (${name})`,
        );
      }
      const existing = await this.deps.store.get(name);
      const nameProblem = existing === undefined ? connectorNameProblem(name) : undefined;
      if (nameProblem !== undefined) throw new BadRequestError(nameProblem);
      return this.replace(name, { ...given, name }, existing);
    });
  }

  /** `PATCH /connectors/{name}/config`: merges; `null` removes a key. */
  patchConfig(name: string, patch: unknown): Promise<ConnectorInfo> {
    return this.serial(async () => {
      const existing = await this.require(name);
      const secrets = await this.deps.store.getSecrets(name);
      const merged = applyPatch(withPassword(existing.config, secrets.password), patch);
      if (merged['name'] !== undefined && merged['name'] !== name) {
        throw new BadRequestError(
          `Connector name configuration (${merged['name']}) doesn't match connector name in the URL (${name})`,
        );
      }
      return (await this.replace(name, { ...merged, name }, existing)).info;
    });
  }

  private async replace(
    name: string,
    full: FlatConfig,
    existing: ConnectorDefinition | undefined,
  ): Promise<{ info: ConnectorInfo; created: boolean }> {
    await this.validate(full);
    const previous = existing ? (await this.deps.store.getSecrets(name)).password : undefined;
    const { config: publicConfig, password } = splitPassword(full, previous);
    const now = new Date().toISOString();
    const definition: ConnectorDefinition = {
      name,
      config: publicConfig,
      targetState: existing?.targetState ?? 'RUNNING',
      generation: (existing?.generation ?? 0) + 1,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
      ...(existing?.noTaskConfigs === true ? { noTaskConfigs: true } : {}),
      ...(existing?.revision !== undefined ? { revision: existing.revision } : {}),
    };
    const secrets = password === undefined ? {} : { password };
    if (existing) await this.deps.store.update(definition, secrets);
    else await this.deps.store.create(definition, secrets);
    this.deps.logger.info(
      { connector: name, config: shownConfig(publicConfig, password !== undefined) },
      existing ? 'connector config updated' : 'connector created',
    );
    if (!existing) await this.deps.status.publishConnector(name, definition.targetState);
    await this.deps.runtime.changed(name);
    return { info: await this.info(definition), created: existing === undefined };
  }

  private setTargetState(name: string, state: TargetState): Promise<void> {
    return this.serial(async () => {
      const existing = await this.require(name);
      const next = withTargetState(existing, state);
      if (existing.targetState !== state || existing.noTaskConfigs !== next.noTaskConfigs) {
        const secrets = await this.deps.store.getSecrets(name);
        await this.deps.store.update({ ...next, updatedAt: new Date().toISOString() }, secrets);
        this.deps.logger.info(
          { connector: name, from: existing.targetState, to: state },
          'connector target state changed',
        );
      }
      await this.deps.status.publishConnector(name, state);
      await this.deps.runtime.changed(name);
    });
  }

  pause(name: string): Promise<void> {
    return this.setTargetState(name, 'PAUSED');
  }

  resume(name: string): Promise<void> {
    return this.setTargetState(name, 'RUNNING');
  }

  stop(name: string): Promise<void> {
    return this.setTargetState(name, 'STOPPED');
  }

  delete(name: string): Promise<void> {
    return this.serial(async () => {
      const existing = await this.require(name);
      await this.deps.store.delete(name);
      this.deps.logger.info({ connector: name }, 'connector deleted');
      await this.deps.runtime.changed(name); // stops its tasks
      const taskIds = Array.from({ length: tasksMaxOf(existing.config) }, (_, i) => i);
      await this.deps.status.remove(name, taskIds);
      // Kafka Connect forgets a deleted connector's active topics too.
      await this.deps.status.removeTopics(name, await this.deps.status.topics(name));
    });
  }

  /**
   * `POST /connectors/{name}/restart`. Both flags false: the connector instance only (204, no body).
   * Otherwise the targeted instances, answered with the status showing them RESTARTING (202).
   */
  restart(
    name: string,
    includeTasks: boolean,
    onlyFailed: boolean,
  ): Promise<{ accepted: false } | { accepted: true; status: ConnectorStateInfo }> {
    return this.serial(async () => {
      const definition = await this.require(name);
      if (!includeTasks && !onlyFailed) {
        await this.deps.status.publishConnector(name, definition.targetState);
        return { accepted: false as const };
      }
      const state = await this.stateOf(definition);
      const connectorTargeted = !onlyFailed || state.connector.state === 'FAILED';
      const taskIds = includeTasks
        ? state.tasks.filter((t) => !onlyFailed || t.state === 'FAILED').map((t) => t.id)
        : [];
      if (taskIds.length > 0) await this.deps.runtime.restartTasks(name, taskIds);
      if (connectorTargeted) await this.deps.status.publishConnector(name, definition.targetState);
      this.deps.logger.info(
        { connector: name, includeTasks, onlyFailed, tasks: taskIds },
        'restart requested',
      );
      const restarting = (s: InstanceStatus): InstanceStatus => ({
        state: 'RESTARTING',
        worker_id: s.worker_id,
        ...(s.version === undefined ? {} : { version: s.version }),
      });
      return {
        accepted: true as const,
        status: {
          ...state,
          connector: connectorTargeted ? restarting(state.connector) : state.connector,
          tasks: state.tasks.map((t) => (taskIds.includes(t.id) ? { id: t.id, ...restarting(t) } : t)),
        },
      };
    });
  }

  restartTask(name: string, taskId: string): Promise<void> {
    return this.serial(async () => {
      const definition = await this.require(name);
      const id = taskIdsOf(definition).find((t) => String(t) === taskId);
      if (id === undefined) throw new NotFoundError(`Task ${name}-${taskId} not found`);
      this.deps.logger.info({ connector: name, task: id }, 'task restart requested');
      await this.deps.runtime.restartTasks(name, [id]);
    });
  }

  // ---- topics (KIP-558) ----------------------------------------------------------------------

  /** `GET /connectors/{name}/topics`: `{"<name>": {"topics": [...]}}`. */
  async activeTopics(name: string): Promise<Record<string, { topics: string[] }>> {
    this.requireTopicTracking(false);
    await this.require(name);
    return { [name]: { topics: await this.deps.status.topics(name) } };
  }

  /**
   * `PUT /connectors/{name}/topics/reset`: tombstones for the recorded topics, and running tasks
   * record what they use from now on. Kafka Connect allows it in any state; so do we.
   */
  resetActiveTopics(name: string): Promise<void> {
    this.requireTopicTracking(true);
    return this.serial(async () => {
      await this.require(name);
      const topics = await this.deps.status.topics(name);
      await this.deps.status.removeTopics(name, topics);
      await (this.deps.workers ?? NO_WORKER_CONTROL).activeTopicsReset(name);
      this.deps.logger.info({ connector: name, topics }, 'active topics reset');
    });
  }

  /** Kafka Connect's ConnectorsResource checks these first (403, before the connector is looked up). */
  private requireTopicTracking(reset: boolean): void {
    const tracking = this.deps.topicTracking ?? DEFAULT_TOPIC_TRACKING;
    if (!tracking.enable) throw new ForbiddenError('Topic tracking is disabled.');
    if (reset && !tracking.allowReset) throw new ForbiddenError('Topic tracking reset is disabled.');
  }

  // ---- offsets -------------------------------------------------------------------------------

  async getOffsets(name: string): Promise<{ offsets: ConnectorOffset[] }> {
    const definition = await this.require(name);
    const kind = kindOf(definition.config);
    if (kind === undefined) return { offsets: [] };
    return { offsets: await this.deps.offsets.list(kind, definition) };
  }

  alterOffsets(name: string, body: unknown): Promise<{ message: string }> {
    return this.serial(async () => {
      const definition = await this.requireStopped(name);
      const kind = kindOf(definition.config) as ConnectorKind;
      const offsets = parseOffsetsBody(body, kind);
      await this.deps.offsets.alter(kind, definition, offsets);
      this.deps.logger.info({ connector: name, count: offsets.length }, 'offsets altered');
      return {
        message:
          kind === 'sink'
            ? 'The offsets for this connector have been altered successfully'
            : 'The Kafka Connect framework-managed offsets for this connector have been altered successfully. ' +
              'However, if this connector manages offsets externally, they will need to be manually altered ' +
              'in the system that the connector uses.',
      };
    });
  }

  resetOffsets(name: string): Promise<{ message: string }> {
    return this.serial(async () => {
      const definition = await this.requireStopped(name);
      const kind = kindOf(definition.config) as ConnectorKind;
      await this.deps.offsets.reset(kind, definition);
      this.deps.logger.info({ connector: name }, 'offsets reset');
      return {
        message:
          kind === 'sink'
            ? 'The offsets for this connector have been reset successfully'
            : 'The Kafka Connect framework-managed offsets for this connector have been reset successfully. ' +
              'However, if this connector manages offsets externally, they will need to be manually reset ' +
              'in the system that the connector uses.',
      };
    });
  }

  private async requireStopped(name: string): Promise<ConnectorDefinition> {
    const definition = await this.require(name);
    if (definition.targetState !== 'STOPPED') throw new BadRequestError(STOP_FIRST.replace('%s', name));
    return definition;
  }

  // ---- plugins -------------------------------------------------------------------------------

  /**
   * `GET /connector-plugins?connectorsOnly=`: the two connectors; with connectorsOnly=false also the
   * one converter the connectors accept (key.converter / value.converter), as Kafka Connect lists
   * every plugin type then.
   */
  plugins(connectorsOnly = true): PluginInfo[] {
    const connectors: PluginInfo[] = (['sink', 'source'] as const).map((kind) => ({
      class: CONNECTOR_CLASSES[kind],
      type: kind,
      version: CONNECTOR_VERSION,
    }));
    if (connectorsOnly) return connectors;
    // StringConverter is Kafka Connect's own class: it carries Connect's version, as there.
    return [...connectors, { class: STRING_CONVERTER, type: 'converter', version: CONNECT_REST_API_VERSION }];
  }

  private pluginKind(plugin: string): ConnectorKind {
    const kind = resolveConnectorClass(plugin);
    if (kind === undefined) throw new NotFoundError(`Unknown plugin ${plugin}.`);
    return kind;
  }

  pluginConfig(plugin: string): ConfigKeyInfo[] {
    return describeConfigKeys(this.pluginKind(plugin));
  }

  /**
   * `PUT /connector-plugins/{plugin}/config/validate`: a ConfigInfos (200), also when invalid, except
   * for a tasks.max above its limits: 400 naming tasks.max and the limit (issue 10 point 3), as
   * POST and PUT answer.
   */
  async validatePlugin(plugin: string, body: unknown): Promise<ConfigInfos> {
    const kind = this.pluginKind(plugin);
    const config = toStringMap(body);
    const included = config['connector.class'];
    if (included !== undefined && resolveConnectorClass(included) !== kind) {
      throw new BadRequestError(`Included connector type ${included} does not match request type ${plugin}`);
    }
    const limit = await this.tasksMaxProblem(config);
    if (limit !== undefined) throw new BadRequestError(limit);
    return validateForRest({ ...config, 'connector.class': included ?? CONNECTOR_CLASSES[kind] }, kind);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks `{"offsets":[{"partition":{...},"offset":{...}|null}]}` for the connector kind. */
export function parseOffsetsBody(body: unknown, kind: ConnectorKind): ConnectorOffset[] {
  if (!isObject(body) || !Array.isArray(body['offsets']) || body['offsets'].length === 0) {
    throw new BadRequestError('The offsets to be modified must not be null or empty');
  }
  const problems: string[] = [];
  const out: ConnectorOffset[] = [];
  body['offsets'].forEach((entry: unknown, i: number) => {
    if (!isObject(entry) || !isObject(entry['partition'])) {
      problems.push(`offsets[${i}]: must be {"partition": {...}, "offset": {...} or null}`);
      return;
    }
    const partition = entry['partition'];
    const offset = entry['offset'] ?? null;
    if (offset !== null && !isObject(offset)) {
      problems.push(`offsets[${i}].offset: must be an object or null`);
      return;
    }
    if (kind === 'sink') {
      const topic = partition['kafka_topic'];
      const p = partition['kafka_partition'];
      if (typeof topic !== 'string' || topic === '')
        problems.push(`offsets[${i}].partition.kafka_topic: must be a topic name`);
      if (typeof p !== 'number' || !Number.isInteger(p) || p < 0) {
        problems.push(`offsets[${i}].partition.kafka_partition: must be a non-negative integer`);
      }
      if (offset !== null) {
        const o = offset['kafka_offset'];
        const valid =
          (typeof o === 'number' && Number.isInteger(o) && o >= 0) ||
          (typeof o === 'string' && /^\d+$/.test(o));
        if (!valid) problems.push(`offsets[${i}].offset.kafka_offset: must be a non-negative integer`);
      }
    } else {
      const table = partition['table'];
      if (typeof table !== 'string' || table === '' || Object.keys(partition).length !== 1) {
        problems.push(`offsets[${i}].partition: must be {"table": "<database>.<table>"}`);
      }
    }
    out.push({ partition, offset });
  });
  if (problems.length > 0) throw new BadRequestError(`Invalid offsets:\n${problems.join('\n')}`);
  return out;
}
