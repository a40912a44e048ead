// sink-worker: one process = one sink task of one connector (docs/worker-contract.md).
// Reads the environment, the worker config file and the password once, then runs the task.
// Exit codes: 0 drained after SIGTERM/SIGINT, 1 crashed, 2 FAILED (invalid config or a permanent error).
import { hostname } from 'node:os';
import { readFileSync } from 'node:fs';
import { Kafka, logLevel as KafkaLogLevel } from 'kafkajs';
import { KwdbClient, KwdbClientError } from '@kwdb-connect/kwdb-client';
import {
  ActiveTopicsRecorder,
  createLogger,
  ensureTopic,
  exitWorker,
  LoggerRegistry,
  onShutdown,
  resolveTaskIdFile,
  startHttpServer,
  StatusPublisher,
  watchWorkerControl,
  type Logger,
  type StatusState,
} from '@kwdb-connect/runtime';
import { CONNECTOR_PLUGIN_VERSION, type WorkerEnv } from '@kwdb-connect/connector-config';
import { loadConfig, type LoadedConfig } from './config/load-config';
import { SinkTask } from './consumer/sink-task';
import { watchTargetState } from './control/target-state';
import { failureTrace } from './errors/task-failed';
import { kwdbClientConfig } from './config/client-config';
import { TaskMetrics } from './metrics';

process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';

/** SIGTERM drain budget: stop fetching, finish the batch, commit, leave the group. */
const DRAIN_TIMEOUT_MS = 25_000;
/** The logger every line of a sink task goes through: `sink-worker` in /admin/loggers. */
const WORKER_LOGGER = 'sink-worker';
/** How long a FAILED/UNASSIGNED status publish may take before the process exits anyway. */
const STATUS_TIMEOUT_MS = 10_000;

function kafkaFor(env: WorkerEnv, clientId: string, logger: Logger): Kafka {
  return new Kafka({
    clientId,
    brokers: [...env.kafkaBootstrapServers],
    connectionTimeout: 5_000,
    logLevel: KafkaLogLevel.WARN,
    logCreator:
      () =>
      ({ level, log }) => {
        const { message, ...extra } = log;
        const fields = { kafkajs: extra.namespace ?? true, ...extra };
        // kafkajs logs recoverable conditions (an existing topic, a rebalance) as errors: warn.
        if (level <= KafkaLogLevel.WARN) logger.warn(fields, message);
      },
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([
    promise,
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms).unref()),
  ]);
}

async function publishOnce(
  env: WorkerEnv,
  connector: string,
  state: StatusState,
  trace: string | undefined,
  secretValues: string[],
  logger: Logger,
): Promise<void> {
  const kafka = kafkaFor(env, `kwdb-connect-sink-${connector}-status`, logger);
  const publisher = new StatusPublisher({
    kafka,
    topic: env.statusTopic,
    workerId: env.workerId,
    version: CONNECTOR_PLUGIN_VERSION,
    secretValues,
  });
  try {
    await publisher.connect();
    await publisher.publishTask(connector, env.taskId, state, trace ?? null);
  } finally {
    await publisher.disconnect().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const bootLogger = createLogger({ level: 'info', base: { app: 'sink-worker' } });
  // In a Pod the task id arrives through a downward-API file (docs/worker-contract.md).
  await resolveTaskIdFile(process.env, {
    onWaiting: (ms, path) => bootLogger.info({ waitedMs: ms, path }, "waiting for this Pod's task id"),
  });
  const result = loadConfig(process.env, hostname(), (path) => readFileSync(path, 'utf8'));
  if (!result.ok) {
    const logger = createLogger({
      level: result.env?.logLevel ?? 'info',
      base: { app: 'sink-worker', connector: result.connectorName, task: result.env?.taskId },
      secretValues: result.secretValues,
    });
    for (const p of result.problems) logger.error({ key: p.key }, p.message);
    const trace = `invalid configuration:\n${result.problems.map((p) => p.message).join('\n')}`;
    if (result.env !== undefined && result.connectorName !== undefined) {
      const published = await withTimeout(
        publishOnce(result.env, result.connectorName, 'FAILED', trace, result.secretValues, logger).then(
          () => true,
        ),
        STATUS_TIMEOUT_MS,
      ).catch(() => false);
      if (published !== true)
        logger.warn('could not publish FAILED to the status topic (Kafka unreachable?)');
    }
    exitWorker(2);
    return;
  }
  bootLogger.flush?.();
  await runTask(result.loaded);
}

async function runTask(loaded: LoadedConfig): Promise<void> {
  const { env, config } = loaded;
  // Named loggers whose levels config-api can change at run time (PUT /admin/loggers/...?scope=cluster).
  const loggers = new LoggerRegistry(
    createLogger({
      level: env.logLevel,
      base: { app: 'sink-worker', connector: config.name, task: env.taskId },
      secretValues: loaded.secretValues,
    }),
  );
  const logger = loggers.logger(WORKER_LOGGER);
  const metrics = new TaskMetrics(config.name, env.taskId);
  metrics.state('UNASSIGNED');
  const kafka = kafkaFor(env, `kwdb-connect-sink-${config.name}-${env.taskId}`, logger);
  const status = new StatusPublisher({
    kafka,
    topic: env.statusTopic,
    workerId: env.workerId,
    version: CONNECTOR_PLUGIN_VERSION,
    secretValues: loaded.secretValues,
  });
  const activeTopics = new ActiveTopicsRecorder({
    publisher: status,
    connector: config.name,
    task: env.taskId,
    logger,
    enabled: env.topicTracking,
  });
  const control = watchWorkerControl(env.configFile!, {
    loggers,
    logger,
    resetActiveTopics: () => activeTopics.forget(),
  });
  const publish = async (state: StatusState, trace?: string): Promise<void> => {
    await status.publishTask(config.name, env.taskId, state, trace ?? null);
    logger.info({ state }, 'task state published');
  };

  let task: SinkTask | undefined = undefined;
  let client: KwdbClient | undefined;
  let dbConnected = false;
  let failed = false;
  const http = await startHttpServer({
    host: env.httpHost,
    port: env.httpPort,
    registry: metrics.registry,
    isReady: () => dbConnected && task?.ready === true,
    isHealthy: () => !failed,
  });
  logger.info({ url: http.url }, 'metrics and health endpoints listening');

  let watcher: { stop(): void } | undefined = undefined;
  let ending = false;
  /** The one way out: stop the task, publish the final state, close everything, exit. */
  const finish = async (code: 0 | 1 | 2, state: StatusState | undefined, trace?: string): Promise<void> => {
    if (ending) return;
    ending = true;
    watcher?.stop();
    control.stop();
    await withTimeout(
      (task?.stop() ?? Promise.resolve()).catch((e: unknown) =>
        logger.warn({ err: e }, 'consumer stop failed'),
      ),
      DRAIN_TIMEOUT_MS - 5_000,
    );
    if (state !== undefined) {
      metrics.state(state);
      await withTimeout(
        publish(state, trace).catch((e: unknown) => logger.warn({ err: e }, 'final status publish failed')),
        STATUS_TIMEOUT_MS,
      );
    }
    await withTimeout(activeTopics.settled(), STATUS_TIMEOUT_MS);
    await withTimeout(
      status.disconnect().catch(() => undefined),
      2_000,
    );
    await withTimeout(
      (client?.close() ?? Promise.resolve()).catch(() => undefined),
      2_000,
    );
    await http.close().catch(() => undefined);
    logger.info({ exitCode: code, state }, 'sink task stopped');
    logger.flush?.();
    if (code !== 0) exitWorker(code);
  };
  const failTask = (error: Error): void => {
    failed = true;
    logger.error({ err: error }, 'sink task FAILED');
    void finish(2, 'FAILED', failureTrace(error));
  };

  const shutdown = onShutdown(() => finish(0, 'UNASSIGNED'), {
    timeoutMs: DRAIN_TIMEOUT_MS,
    onEvent: (event) => logger.info({ event }, 'shutdown'),
  });

  try {
    const admin = kafka.admin();
    await admin.connect();
    try {
      // Safe when several tasks start at once: ensureTopic treats a lost creation race as "exists".
      await ensureTopic(admin, env.statusTopic, { compacted: true, partitions: 5 });
      const dlq = config.errors.deadLetterQueueTopicName;
      if (config.errors.tolerance === 'all' && dlq !== '') {
        await ensureTopic(admin, dlq, {
          compacted: false,
          partitions: 1,
          replicationFactor: config.errors.deadLetterQueueTopicReplicationFactor,
        });
      }
    } finally {
      await admin.disconnect();
    }
    await status.connect();
  } catch (error) {
    logger.error({ err: error }, 'cannot reach Kafka');
    shutdown.dispose();
    await finish(1, undefined);
    return;
  }

  try {
    client = await KwdbClient.connect(kwdbClientConfig(config, (path) => readFileSync(path, 'utf8')));
    dbConnected = true;
    logger.info({ dialect: client.dialect, database: client.database }, 'connected to the database');
  } catch (error) {
    if (error instanceof KwdbClientError && error.retriable) {
      logger.error({ err: error }, 'database unreachable at start; exiting to be restarted');
      shutdown.dispose();
      await finish(1, undefined);
      return;
    }
    failTask(error as Error);
    return;
  }

  task = new SinkTask({
    kafka,
    client,
    config,
    taskId: env.taskId,
    maxBufferedBytes: env.maxBufferedBytes,
    logger,
    metrics,
    publish,
    activeTopics,
    onFailed: failTask,
    onCrash: (error) => {
      logger.error({ err: error }, 'consumer crashed for good');
      void finish(1, undefined);
    },
  });
  const currentTask = task;
  try {
    await task.start(loaded.targetState);
  } catch (error) {
    logger.error({ err: error }, 'consumer did not start');
    await finish(1, undefined);
    return;
  }
  watcher = watchTargetState(env.configFile!, loaded.targetState, async (state) => {
    logger.info({ targetState: state }, 'target state changed');
    if (state === 'PAUSED') await currentTask.pause();
    else await currentTask.resume();
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
