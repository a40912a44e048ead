// The local runtime: runs `tasks.max` worker processes per RUNNING or PAUSED connector, as
// docs/worker-contract.md describes. The decisions are decide.ts (pure); this file is the process
// I/O around them: worker config files, spawning, signals, exit codes, backoff timers.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { resolveConnectorClass, runnableTasks, type ConnectorKind } from '@kwdb-connect/connector-config';
import { workerNodeArgs, type LogLevelSetting, type Logger } from '@kwdb-connect/runtime';
import { hostPort } from '../http/prometheus-targets';
import type { ConnectorRuntime, WorkerControl } from '../services/ports';
import type { ConnectorDefinition, ConnectorSecrets } from '../store/connector-store';
import { fileNameOf, writeFileAtomic } from '../store/file-connector-store';
import {
  classifyExit,
  configHash,
  decide,
  DEFAULT_BACKOFF,
  nextCrashCount,
  restartReason,
  taskKey,
  type Action,
  type ActualTask,
  type BackoffPolicy,
  type DesiredTask,
  type ExitOutcome,
} from './decide';

/** What the supervisor reads: the store, and where each connector's password file is. */
export interface SupervisorStore {
  list(): Promise<string[]>;
  get(name: string): Promise<ConnectorDefinition | undefined>;
  getSecrets(name: string): Promise<ConnectorSecrets>;
  passwordFile(name: string): string;
}

/** Where the supervisor reports task states it learns itself (crashes, a missing worker build). */
export interface TaskStatusSink {
  publishTask(connector: string, task: number, state: 'UNASSIGNED' | 'FAILED', trace?: string): Promise<void>;
}

export interface LocalSupervisorOptions {
  store: SupervisorStore;
  /** Worker config files and task logs go under here. */
  dataDir: string;
  workers: Record<ConnectorKind, string>;
  kafkaBrokers: readonly string[];
  statusTopic: string;
  offsetsTopic: string;
  workerHttpHost: string;
  /** 0: each task gets a free port. */
  workerBasePort: number;
  logLevel: string;
  logger: Logger;
  status?: TaskStatusSink;
  backoff?: BackoffPolicy;
  /** SIGKILL a worker that has not exited this long after SIGTERM. Default 20 s. */
  stopTimeoutMs?: number;
  /** Extra environment for every worker (tests). */
  extraEnv?: Record<string, string>;
  /** Called when a task gets a new process after a previous one ended (the restarts metric). */
  onRestart?: (connector: string, task: number, reason: ExitOutcome) => void;
  /** Called for every process start, first or not. */
  onStart?: (connector: string, task: number) => void;
  /** Called when a task is forgotten (its connector deleted or stopped, or tasks.max lowered). */
  onForget?: (connector: string, task: number) => void;
  /**
   * Total partitions of a sink's topics; undefined when not known (Kafka unreachable). A sink runs
   * at most that many tasks (`runnableTasks`). Without it every connector runs tasks.max tasks.
   */
  topicPartitions?: (topics: string[]) => Promise<number | undefined>;
}

/** The worker config file of docs/worker-contract.md. */
export interface WorkerConfigFile {
  name: string;
  config: Record<string, string>;
  targetState: 'RUNNING' | 'PAUSED';
  /** Cluster-scope log levels, in the order they were set (workers apply them at run time). */
  logLevels: LogLevelSetting[];
  /** Epoch ms of the connector's last topics reset; absent when never reset. */
  activeTopicsResetAt?: number;
}

interface Running extends ActualTask {
  kind: ConnectorKind;
  child?: ChildProcess;
  port: number;
  exited: Promise<void>;
  killTimer?: NodeJS.Timeout;
}

export function workerDir(dataDir: string, connector: string): string {
  return join(dataDir, 'workers', fileNameOf(connector));
}

export class LocalSupervisor implements ConnectorRuntime, WorkerControl {
  private readonly options: LocalSupervisorOptions;
  private readonly policy: BackoffPolicy;
  private readonly tasks = new Map<string, Running>();
  private readonly epochs = new Map<string, number>();
  /** The last logged reason why a sink runs fewer tasks than tasks.max, per connector. */
  private readonly capReasons = new Map<string, string>();
  private readonly writtenConfig = new Map<string, string>();
  /** Cluster-scope log levels by logger; a logger set again moves to the end (applied last). */
  private readonly logLevels = new Map<string, string>();
  private readonly topicsResetAt = new Map<string, number>();
  private chain: Promise<void> = Promise.resolve();
  private wakeTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: LocalSupervisorOptions) {
    this.options = options;
    this.policy = options.backoff ?? DEFAULT_BACKOFF;
  }

  /** Starts the tasks of every stored RUNNING/PAUSED connector. */
  async start(): Promise<void> {
    await this.reconcile();
  }

  async changed(name: string): Promise<void> {
    await this.reconcile();
    // Wait for the connector's processes that are being stopped, so that a DELETE or a stop has
    // really ended the tasks when the response goes out.
    await Promise.all(
      [...this.tasks.values()]
        .filter((t) => t.connector === name && t.phase === 'stopping')
        .map((t) => t.exited),
    );
    if ((await this.options.store.get(name)) === undefined) {
      this.writtenConfig.delete(name);
      this.topicsResetAt.delete(name);
      await rm(workerDir(this.options.dataDir, name), { recursive: true, force: true });
    }
  }

  async restartTasks(name: string, taskIds: readonly number[]): Promise<void> {
    for (const id of taskIds) {
      const key = taskKey(name, id);
      this.epochs.set(key, (this.epochs.get(key) ?? 0) + 1);
    }
    await this.reconcile();
  }

  /** Where each running task serves /metrics (GET /prometheus/targets). */
  metricsTargets(): { connector: string; task: number; kind: ConnectorKind; address: string }[] {
    return [...this.tasks.values()]
      .filter((t) => t.phase === 'running' && t.port > 0)
      .map((t) => ({
        connector: t.connector,
        task: t.task,
        kind: t.kind,
        address: hostPort(this.options.workerHttpHost, t.port),
      }));
  }

  /** Every worker, running or started later, applies the level (through its worker config file). */
  async setClusterLogLevel(logger: string, level: string): Promise<void> {
    this.logLevels.delete(logger);
    this.logLevels.set(logger, level);
    await this.reconcile();
  }

  /** The connector's running tasks forget the topics they recorded (through the worker config file). */
  async activeTopicsReset(name: string): Promise<void> {
    this.topicsResetAt.set(name, Math.max(Date.now(), (this.topicsResetAt.get(name) ?? 0) + 1));
    await this.reconcile();
  }

  /** The processes as they are now (tests and the status of the runtime). */
  snapshot(): {
    connector: string;
    task: number;
    phase: string;
    pid: number | undefined;
    port: number;
    crashes: number;
  }[] {
    return [...this.tasks.values()].map((t) => ({
      connector: t.connector,
      task: t.task,
      phase: t.phase,
      pid: t.child?.pid,
      port: t.port,
      crashes: t.crashes,
    }));
  }

  /** Stops every worker (SIGTERM, then SIGKILL after the timeout) and waits for them. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    await this.chain;
    for (const t of this.tasks.values()) if (t.phase === 'running') this.stop(t);
    await Promise.all([...this.tasks.values()].map((t) => t.exited));
  }

  /** Serialised: one reconcile at a time, each sees the effects of the previous one. */
  reconcile(): Promise<void> {
    const next = this.chain.then(() => this.reconcileOnce());
    this.chain = next.catch((error: unknown) => {
      this.options.logger.error({ err: error }, 'supervisor reconcile failed');
    });
    return next;
  }

  private async desired(): Promise<{ tasks: DesiredTask[]; files: Map<string, WorkerConfigFile> }> {
    const tasks: DesiredTask[] = [];
    const files = new Map<string, WorkerConfigFile>();
    for (const name of await this.options.store.list()) {
      const definition = await this.options.store.get(name);
      // STOPPED, or PAUSED without task configs (created PAUSED, or paused while STOPPED): no tasks.
      if (definition === undefined || definition.targetState === 'STOPPED' || definition.noTaskConfigs) {
        continue;
      }
      const kind = resolveConnectorClass(definition.config['connector.class'] ?? '');
      if (kind === undefined) continue;
      const secrets = await this.options.store.getSecrets(name);
      const hash = configHash({
        kind,
        config: definition.config,
        password: secrets.password,
        entry: this.options.workers[kind],
      });
      const tasksMax = Math.max(1, Number(definition.config['tasks.max'] ?? '1') || 1);
      const { count, reason } = await this.runnable(name, kind, tasksMax, definition.config['topics']);
      if (reason !== undefined && this.capReasons.get(name) !== reason) {
        this.options.logger.warn({ connector: name, tasksMax, tasks: count }, reason);
      }
      if (reason === undefined) this.capReasons.delete(name);
      else this.capReasons.set(name, reason);
      for (let task = 0; task < count; task++) {
        tasks.push({
          connector: name,
          task,
          kind,
          configHash: hash,
          restartEpoch: this.epochs.get(taskKey(name, task)) ?? 0,
        });
      }
      const resetAt = this.topicsResetAt.get(name);
      files.set(name, {
        name,
        config: { ...definition.config },
        targetState: definition.targetState,
        logLevels: [...this.logLevels].map(([logger, level]) => ({ logger, level })),
        ...(resetAt === undefined ? {} : { activeTopicsResetAt: resetAt }),
      });
    }
    return { tasks, files };
  }

  /** Tasks a connector runs: a sink no more than its topics' partitions (logged once per change). */
  private async runnable(
    name: string,
    kind: ConnectorKind,
    tasksMax: number,
    topicsText: string | undefined,
  ): Promise<{ count: number; reason?: string }> {
    if (kind !== 'sink' || this.options.topicPartitions === undefined || topicsText === undefined) {
      return { count: tasksMax };
    }
    const topics = topicsText
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
    const partitions = tasksMax > 1 ? await this.options.topicPartitions(topics) : undefined;
    return runnableTasks(kind, tasksMax, partitions);
  }

  private async reconcileOnce(): Promise<void> {
    if (this.closed) return;
    const { tasks, files } = await this.desired();
    // The worker config files first: a paused connector's workers see targetState=PAUSED, and a new
    // process reads the current config.
    for (const [name, file] of files) {
      const text = JSON.stringify(file, null, 2) + '\n';
      if (this.writtenConfig.get(name) === text) continue;
      const dir = workerDir(this.options.dataDir, name);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeFileAtomic(join(dir, 'config.json'), text, 0o600);
      this.writtenConfig.set(name, text);
    }
    const decision = decide(tasks, [...this.tasks.values()], Date.now(), this.policy);
    const byKey = new Map(tasks.map((d) => [taskKey(d.connector, d.task), d]));
    for (const action of decision.actions) await this.apply(action, byKey);
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    if (decision.wakeAt !== undefined) {
      this.wakeTimer = setTimeout(() => void this.reconcile(), Math.max(0, decision.wakeAt - Date.now()) + 5);
      this.wakeTimer.unref();
    }
  }

  private async apply(action: Action, desired: Map<string, DesiredTask>): Promise<void> {
    const key = taskKey(action.connector, action.task);
    const log = this.options.logger.child({ connector: action.connector, task: action.task });
    switch (action.type) {
      case 'forget':
        this.tasks.delete(key);
        this.options.onForget?.(action.connector, action.task);
        return;
      case 'stop': {
        const t = this.tasks.get(key);
        if (t) {
          log.info({ reason: action.reason, pid: t.child?.pid }, 'stopping task');
          this.stop(t);
        }
        return;
      }
      case 'start': {
        const d = desired.get(key);
        if (d) await this.startTask(d, action.crashes, log);
        return;
      }
    }
  }

  private stop(t: Running): void {
    t.phase = 'stopping';
    t.child?.kill('SIGTERM');
    t.killTimer = setTimeout(() => t.child?.kill('SIGKILL'), this.options.stopTimeoutMs ?? 20_000);
    t.killTimer.unref();
  }

  private async startTask(d: DesiredTask, crashes: number, log: Logger): Promise<void> {
    const key = taskKey(d.connector, d.task);
    const entry = this.options.workers[d.kind];
    const reason = restartReason(this.tasks.get(key));
    if (reason !== undefined) this.options.onRestart?.(d.connector, d.task, reason);
    this.options.onStart?.(d.connector, d.task);
    const base = {
      connector: d.connector,
      task: d.task,
      kind: d.kind,
      configHash: d.configHash,
      restartEpoch: d.restartEpoch,
      crashes,
      startedAt: Date.now(),
    };
    if (!existsSync(entry)) {
      // Nothing to run: report it as a FAILED task (visible in GET .../status) and retry with backoff.
      const trace = `worker entry point ${entry} does not exist; build it (npx nx build ${d.kind}-worker)`;
      log.error({ entry }, 'worker entry point missing');
      this.tasks.set(key, {
        ...base,
        crashes: crashes + 1,
        phase: 'exited',
        outcome: 'crashed',
        exitedAt: Date.now(),
        port: 0,
        exited: Promise.resolve(),
      });
      await this.options.status?.publishTask(d.connector, d.task, 'FAILED', trace).catch(() => undefined);
      return;
    }
    const port = await this.allocatePort();
    const dir = workerDir(this.options.dataDir, d.connector);
    const logsDir = join(this.options.dataDir, 'logs');
    await mkdir(logsDir, { recursive: true });
    const logFile = await open(join(logsDir, `${fileNameOf(d.connector)}-${d.task}.log`), 'a', 0o600);
    const secrets = await this.options.store.getSecrets(d.connector);
    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: process.env['HOME'] ?? '/',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      KAFKA_BOOTSTRAP_SERVERS: this.options.kafkaBrokers.join(','),
      KWDB_CONNECT_CONFIG_FILE: join(dir, 'config.json'),
      KWDB_CONNECT_TASK_ID: String(d.task),
      KWDB_CONNECT_WORKER_ID: `${this.options.workerHttpHost}:${port}`,
      KWDB_CONNECT_HTTP_HOST: this.options.workerHttpHost,
      KWDB_CONNECT_HTTP_PORT: String(port),
      KWDB_CONNECT_STATUS_TOPIC: this.options.statusTopic,
      KWDB_CONNECT_OFFSETS_TOPIC: this.options.offsetsTopic,
      KWDB_CONNECT_LOG_LEVEL: this.options.logLevel,
      ...(secrets.password !== undefined
        ? { KWDB_CONNECT_PASSWORD_FILE: this.options.store.passwordFile(d.connector) }
        : {}),
      ...this.options.extraEnv,
    };
    const child = spawn(process.execPath, [...workerNodeArgs(d.kind), entry], {
      env,
      stdio: ['ignore', logFile.fd, logFile.fd],
    });
    await logFile.close();
    let resolveExited: () => void = () => undefined;
    const exited = new Promise<void>((resolve) => {
      resolveExited = resolve;
    });
    const running: Running = { ...base, phase: 'running', child, port, exited };
    this.tasks.set(key, running);
    log.info({ pid: child.pid, port, crashes }, 'task started');
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (running.killTimer) clearTimeout(running.killTimer);
      const requested = running.phase === 'stopping';
      const outcome = classifyExit(code, requested);
      running.phase = 'exited';
      running.outcome = outcome;
      running.exitedAt = Date.now();
      running.child = undefined;
      if (outcome === 'crashed') {
        running.crashes = nextCrashCount(running.crashes, running.exitedAt - running.startedAt, this.policy);
      }
      const level = outcome === 'crashed' || outcome === 'failed' ? 'warn' : 'info';
      log[level]({ code, signal, outcome, crashes: running.crashes }, 'task exited');
      resolveExited();
      if (this.closed) return;
      const publish =
        outcome === 'crashed' && this.tasks.get(key) === running
          ? this.options.status?.publishTask(d.connector, d.task, 'UNASSIGNED').catch(() => undefined)
          : undefined;
      void Promise.resolve(publish).then(() => this.reconcile());
    };
    child.once('exit', onExit);
    child.once('error', (error) => {
      log.error({ err: error }, 'cannot start worker process');
    });
  }

  private async allocatePort(): Promise<number> {
    if (this.options.workerBasePort > 0) {
      const used = new Set([...this.tasks.values()].filter((t) => t.phase !== 'exited').map((t) => t.port));
      let port = this.options.workerBasePort;
      while (used.has(port)) port++;
      return port;
    }
    return freePort(this.options.workerHttpHost);
  }
}

/** A port that was free a moment ago (the worker binds it right after). */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
