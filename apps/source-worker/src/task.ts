// The task's lifecycle around SourceWorker: connect Kafka and the database, publish status
// (RUNNING / PAUSED / FAILED with trace / UNASSIGNED), pause and resume, drain, fail.
// Exit codes (docs/worker-contract.md): 0 drained, 1 crashed, 2 FAILED.
import kafkajs, { type Admin, type Kafka } from 'kafkajs';
import { CONNECTOR_PLUGIN_VERSION, type SourceConfig, type WorkerEnv } from '@kwdb-connect/connector-config';
import { FormatError, type Precision } from '@kwdb-connect/formats';
import { KwdbClient, KwdbClientError, type KwdbClientConfig } from '@kwdb-connect/kwdb-client';
import {
  ActiveTopicsRecorder,
  OffsetStore,
  StatusPublisher,
  ensureTopic,
  errorTrace,
  type Logger,
  type StatusState,
} from '@kwdb-connect/runtime';
import type { TargetState } from './control/worker-file';
import { SourceWorkerError } from './errors';
import { withKafkaRetry } from './kafka-retry';
import type { SourceMetrics } from './metrics';
import { SourceWorker } from './worker';

const { Kafka: KafkaClass, logLevel } = kafkajs;

export interface SourceTaskOptions {
  env: WorkerEnv;
  /** The connector name from the worker file (also when the config is invalid). */
  connector: string;
  /** Undefined when the config is invalid (then `problems` lists why). */
  config: SourceConfig | undefined;
  problems: string[];
  precisionSet: boolean;
  targetState: TargetState;
  password: string | undefined;
  logger: Logger;
  metrics: SourceMetrics;
  exit: (code: 0 | 1 | 2) => void;
}

/** Permanent errors fail the task (exit 2, FAILED); anything else is a crash (exit 1, restarted). */
export function exitCodeOf(error: unknown): 1 | 2 {
  if (error instanceof SourceWorkerError || error instanceof FormatError) return 2;
  if (error instanceof KwdbClientError && !error.retriable) return 2;
  return 1;
}

export function clientConfig(config: SourceConfig, password: string | undefined): KwdbClientConfig {
  const c = config.connection;
  const result: KwdbClientConfig = {
    url: c.url,
    database: c.database,
    attempts: c.attempts,
    backoffMs: c.backoffMs,
    poolSize: c.poolMax,
    dialect: c.dialect,
  };
  if (c.user !== undefined) result.user = c.user;
  if (password !== undefined) result.password = password;
  if (c.sslMode !== 'disable') result.tls = { mode: c.sslMode };
  return result;
}

export class SourceTask {
  failed = false;
  private kafka: Kafka | undefined;
  private admin: Admin | undefined;
  private status: StatusPublisher | undefined;
  private activeTopics: ActiveTopicsRecorder | undefined;
  private offsets: OffsetStore | undefined;
  private client: KwdbClient | undefined;
  private worker: SourceWorker | undefined;
  private state: TargetState;
  private ending = false;

  constructor(private readonly options: SourceTaskOptions) {
    this.state = options.targetState;
  }

  private get name(): string {
    return this.options.config?.name ?? this.options.connector;
  }

  isReady(): boolean {
    return this.worker?.isReady() ?? false;
  }

  async start(): Promise<void> {
    const { env, logger, config } = this.options;
    try {
      this.kafka = new KafkaClass({
        clientId: `${this.name}-source-${env.taskId}`,
        brokers: [...env.kafkaBootstrapServers],
        logLevel: logLevel.ERROR,
        logCreator: () => (entry) =>
          logger.warn({ kafkajs: entry.log.message, namespace: entry.namespace }, 'kafkajs'),
      });
      this.admin = this.kafka.admin();
      await this.admin.connect();
      const admin = this.admin;
      await withKafkaRetry(() => ensureTopic(admin, env.statusTopic, { compacted: true, partitions: 5 }));
      await withKafkaRetry(() => ensureTopic(admin, env.offsetsTopic, { compacted: true, partitions: 25 }));
      this.status = new StatusPublisher({
        kafka: this.kafka,
        topic: env.statusTopic,
        workerId: env.workerId,
        version: CONNECTOR_PLUGIN_VERSION,
        secretValues: this.options.password ? [this.options.password] : [],
      });
      await this.status.connect();
      this.activeTopics = new ActiveTopicsRecorder({
        publisher: this.status,
        connector: this.name,
        task: env.taskId,
        logger,
        enabled: env.topicTracking,
      });
    } catch (error) {
      // Without a valid config a restart cannot help: FAILED (exit 2) even if Kafka is unreachable.
      this.fatal(error, config === undefined ? 2 : 1);
      return;
    }
    if (config === undefined) {
      const error = new SourceWorkerError(
        'CONFIG_INVALID',
        `Connector configuration is invalid and contains the following ${this.options.problems.length} error(s):\n` +
          this.options.problems.join('\n'),
      );
      await this.fail(error);
      return;
    }
    try {
      this.client = await KwdbClient.connect(clientConfig(config, this.options.password));
      this.offsets = new OffsetStore({ kafka: this.kafka, topic: env.offsetsTopic, logger });
      await this.offsets.start();
      this.worker = new SourceWorker({
        config,
        precision: this.options.precisionSet ? (config.timestampPrecision as Precision) : undefined,
        taskId: env.taskId,
        kafka: this.kafka,
        admin: this.admin,
        client: this.client,
        offsets: this.offsets,
        status: this.status,
        activeTopics: this.activeTopics!,
        metrics: this.options.metrics,
        logger,
        onFatal: (error) => void this.fail(error),
      });
      await this.worker.start();
      if (this.state === 'PAUSED') await this.worker.pause();
      await this.publish(this.state === 'PAUSED' ? 'PAUSED' : 'RUNNING');
      logger.info(
        { dialect: this.client.dialect, database: config.connection.database },
        'source task started',
      );
    } catch (error) {
      await this.fail(error);
    }
  }

  async setTargetState(state: TargetState): Promise<void> {
    if (state === this.state || this.worker === undefined || this.ending) return;
    this.state = state;
    if (state === 'PAUSED') await this.worker.pause();
    else await this.worker.resume();
    await this.publish(state);
  }

  /** The connector's topics were reset (PUT .../topics/reset): record them again as they are used. */
  resetActiveTopics(): void {
    this.activeTopics?.forget();
  }

  /** SIGTERM/SIGINT: finish pages in flight, store cursors, leave the group, publish UNASSIGNED. */
  async drain(): Promise<void> {
    if (this.ending) return;
    this.ending = true;
    await this.worker?.stop();
    await this.publish('UNASSIGNED').catch(() => undefined);
    await this.close();
  }

  private async publish(state: StatusState, trace?: string): Promise<void> {
    this.options.metrics.state(state);
    try {
      await this.status?.publishTask(this.name, this.options.env.taskId, state, trace);
    } catch (error) {
      this.options.metrics.error('status');
      this.options.logger.warn({ err: error, state }, 'cannot publish the task state');
    }
  }

  /** A permanent error: FAILED with trace then exit 2; a transient one: exit 1. */
  private async fail(error: unknown): Promise<void> {
    const code = exitCodeOf(error);
    if (code === 1 || this.ending) {
      this.fatal(error, code);
      return;
    }
    this.ending = true;
    this.failed = true;
    this.options.logger.error({ err: error }, 'task FAILED');
    await this.publish('FAILED', errorTrace(error));
    await this.worker?.stop().catch(() => undefined);
    await this.close();
    this.options.exit(2);
  }

  private fatal(error: unknown, code: 1 | 2): void {
    this.options.logger.fatal({ err: error }, code === 2 ? 'task FAILED' : 'task crashed');
    if (code === 2) this.failed = true;
    this.ending = true;
    this.options.exit(code);
  }

  private async close(): Promise<void> {
    await this.offsets?.close().catch(() => undefined);
    await this.activeTopics?.settled();
    await this.status?.disconnect().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
    await this.client?.close().catch(() => undefined);
  }
}
