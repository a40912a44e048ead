// The sink task: a kafkajs consumer in group `connect-<connector name>`, one `eachBatch` call per
// partition batch: decode -> write (retrying transient errors) -> apply errors.tolerance -> commit
// the offsets of the records that are done. Offsets are committed only after the database (and,
// for dead-lettered records, the dead letter topic) acknowledged every record below them.
import { decode, type Batch } from '@kwdb-connect/formats';
import type { SinkConfig } from '@kwdb-connect/connector-config';
import { KwdbClientError, type KwdbClient, type WriteResult } from '@kwdb-connect/kwdb-client';
import type { Logger, StatusState } from '@kwdb-connect/runtime';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { deadLetterMessage } from '../errors/dead-letter';
import { decideTolerance } from '../errors/policy';
import { recordFailedError, TaskFailedError } from '../errors/task-failed';
import type { TaskMetrics } from '../metrics';
import { safeCommitOffset, partitionLag } from '../pipeline/offsets';
import { describeFailures, type RecordFailure } from '../pipeline/outcome';
import { processRecords, type ProcessResult } from '../pipeline/process-records';
import { recordName, type SinkRecord } from '../pipeline/record';
import { RetriesExhaustedError, RetryAbortedError, withRetries } from '../retry/retry';
import { consumerConfig, groupIdFor, runConfig } from './consumer-options';
import { LagRefresher } from './lag-refresher';
import { commitRequest, OffsetCommitter, type PartitionCommit, type SendCommit } from './offset-committer';

export interface SinkTaskOptions {
  kafka: Kafka;
  client: KwdbClient;
  config: SinkConfig;
  taskId: number;
  maxBufferedBytes: number;
  logger: Logger;
  metrics: TaskMetrics;
  /** Publishes this task's state to the status topic. */
  publish: (state: StatusState, trace?: string) => Promise<void>;
  /** Topic tracking: the topics this task consumed records from. */
  activeTopics: { record(topic: string): void };
  /** Called once when the task fails (errors.tolerance=none, retries used up, ...). */
  onFailed: (error: Error) => void;
  /** Called when kafkajs gives up on the consumer (it will not restart it). */
  onCrash: (error: Error) => void;
}

export function toSinkRecord(topic: string, partition: number, message: KafkaMessage): SinkRecord {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key ?? null,
    value: message.value ?? null,
    headers: message.headers ?? {},
    timestamp: message.timestamp,
  };
}

export class SinkTask {
  private readonly options: SinkTaskOptions;
  private readonly log: Logger;
  private consumer: Consumer | undefined;
  private dlqProducer: Producer | undefined;
  private joined = false;
  private paused = false;
  private stopping = false;
  private failure: Error | undefined;
  private readonly assigned = new Map<string, Set<number>>();
  private lagRefresher: LagRefresher | undefined;
  /** The usual end of a batch: its commit goes out in the background (offset-committer.ts). */
  private readonly committer: OffsetCommitter;

  constructor(options: SinkTaskOptions) {
    this.options = options;
    this.log = options.logger;
    this.committer = new OffsetCommitter({
      onCommitted: (commits) => this.committed(commits),
      onFailed: (commits, error) => {
        for (const c of commits) this.commitFailed(error, c, this.log);
      },
    });
  }

  /** Connected to Kafka (joined the group) and not failed. */
  get ready(): boolean {
    return this.joined && this.failure === undefined && !this.stopping;
  }

  get failed(): boolean {
    return this.failure !== undefined;
  }

  async start(initialState: 'RUNNING' | 'PAUSED'): Promise<void> {
    const { kafka, config } = this.options;
    if (config.errors.tolerance === 'all' && config.errors.deadLetterQueueTopicName !== '') {
      this.dlqProducer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await this.dlqProducer.connect();
    }
    const consumer = kafka.consumer(consumerConfig(config.name, this.options.maxBufferedBytes));
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      const before = [...this.assigned].flatMap(([topic, ps]) => [...ps].map((p) => [topic, p] as const));
      this.assigned.clear();
      for (const [topic, partitions] of Object.entries(event.payload.memberAssignment)) {
        this.assigned.set(topic, new Set(partitions));
      }
      // A partition that went to another task: its lag is that task's to report now.
      for (const [topic, partition] of before) {
        if (!this.assigned.get(topic)?.has(partition)) this.options.metrics.dropLag(topic, partition);
      }
      this.log.info(
        { memberAssignment: event.payload.memberAssignment, groupId: event.payload.groupId },
        'joined the consumer group',
      );
      if (this.paused) this.pauseAssigned();
      if (!this.joined) {
        this.joined = true;
        const state = this.paused ? 'PAUSED' : 'RUNNING';
        this.options.metrics.state(state);
        this.options
          .publish(state)
          .catch((error: unknown) => this.log.warn({ err: error }, 'status publish failed'));
      }
    });
    consumer.on(consumer.events.CRASH, (event) => {
      const { error, restart } = event.payload;
      this.log.error({ err: error, restart }, 'consumer crashed');
      if (!restart && !this.stopping) this.options.onCrash(error);
    });
    const topics = config.topicsRegex !== undefined ? [new RegExp(config.topicsRegex)] : [...config.topics];
    // Named topics have their dead-letter counters from the start; a regex's topics at their first records.
    for (const topic of config.topicsRegex !== undefined ? [] : config.topics)
      this.options.metrics.topicSeen(topic);
    // Kafka Connect's sink consumers start at the earliest offset when the group has none.
    await consumer.subscribe({ topics, fromBeginning: true });
    this.paused = initialState === 'PAUSED';
    await consumer.run(runConfig((payload) => this.eachBatch(payload)));
    this.lagRefresher = new LagRefresher({
      kafka,
      groupId: groupIdFor(config.name),
      metrics: this.options.metrics,
      logger: this.log,
      assigned: () => this.assigned,
    });
    this.lagRefresher.start();
  }

  /** targetState PAUSED: stop fetching, keep the partitions. */
  async pause(): Promise<void> {
    this.paused = true;
    this.pauseAssigned();
    this.options.metrics.state('PAUSED');
    await this.options.publish('PAUSED');
  }

  /** targetState RUNNING after PAUSED. */
  async resume(): Promise<void> {
    this.paused = false;
    const topics = [...this.assigned.keys()];
    if (topics.length > 0) this.consumer?.resume(topics.map((topic) => ({ topic })));
    this.options.metrics.state('RUNNING');
    await this.options.publish('RUNNING');
  }

  private pauseAssigned(): void {
    const topics = [...this.assigned.keys()];
    if (topics.length > 0) this.consumer?.pause(topics.map((topic) => ({ topic })));
  }

  /**
   * Stops fetching, lets the in-flight batches finish (they commit what they wrote), leaves the
   * group. Batches still retrying a down database are abandoned (nothing committed for them).
   */
  async stop(): Promise<void> {
    this.stopping = true;
    // Batches that end from now on wait for their commit (commitDone); these are the earlier ones.
    await this.committer.flush();
    await this.lagRefresher?.stop();
    this.lagRefresher = undefined;
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.disconnect();
    await this.dlqProducer?.disconnect();
    this.dlqProducer = undefined;
  }

  private fail(error: Error): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    this.options.metrics.error('task');
    this.options.onFailed(error);
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, isRunning, isStale } = payload;
    if (this.failure !== undefined || this.stopping || !isRunning() || isStale()) return;
    if (batch.messages.length === 0) return;
    const { topic, partition } = batch;
    const log = this.log.child({ topic, partition });
    const metrics = this.options.metrics;
    const records = batch.messages.map((m) => toSinkRecord(topic, partition, m));
    this.options.activeTopics.record(topic);
    metrics.consumed(topic, partition, records.length);

    let result: ProcessResult;
    const started = process.hrtime.bigint();
    try {
      result = await processRecords(records, {
        batchSize: this.options.config.batchSize,
        stopAtFirstFailure: this.options.config.errors.tolerance === 'none',
        decode: (record) => this.decode(record),
        write: (batches) => this.write(batches, payload, log),
      });
    } catch (error) {
      if (error instanceof RetryAbortedError) {
        log.warn(
          { offset: records[0]!.offset },
          'batch abandoned (stopping or rebalancing); nothing committed for it',
        );
        return;
      }
      if (isKafkaRebalance(error)) throw error; // kafkajs rejoins; the new owner replays (idempotent)
      const where = records[0]!;
      const reason = error instanceof Error ? error.message : String(error);
      const failed = new TaskFailedError(
        'WRITE_FAILED',
        `writing the batch of ${topic}/${partition} from offset ${where.offset} ` +
          `(topic ${topic}, partition ${partition}, offset ${where.offset}) failed: ${reason}`,
        where,
        error,
      );
      log.error({ offset: where.offset, err: failed }, 'task failed: database write failed');
      payload.pause();
      this.fail(failed);
      return;
    }
    metrics.writeDuration(Number(process.hrtime.bigint() - started) / 1e9);
    metrics.written(result.rowsPerTable);
    if (result.failures.length > 0)
      metrics.error('decode', result.failures.filter((f) => f.stage === 'decode').length);
    const writeErrors = result.failures.filter((f) => f.stage === 'write').length;
    if (writeErrors > 0) metrics.error('write', writeErrors);

    const decision = decideTolerance(this.options.config.errors.tolerance, result.firstFailures);
    let done: (index: number) => boolean = () => true;
    if (decision.kind === 'fail') {
      const failure = decision.failure;
      const record = records[failure.index]!;
      const reason = describeFailures(result.failures, failure.index);
      const error = recordFailedError(record, failure.stage, reason, failure.error);
      log.error({ offset: record.offset, stage: failure.stage, err: error }, 'task failed: record failed');
      done = (index) => index < failure.index;
      await this.commitDone(payload, records, done, log, 'wait');
      payload.pause();
      this.fail(error);
      return;
    }
    if (decision.kind === 'dead-letter') {
      try {
        await this.deadLetter(records, decision.failures, result.failures, log);
      } catch (error) {
        if (isKafkaRebalance(error)) throw error;
        const first = records[decision.failures[0]!.index]!;
        const failed = new TaskFailedError(
          'WRITE_FAILED',
          `sending ${decision.failures.length} record(s) of ${topic}/${partition} to the dead letter topic failed ` +
            `(first: topic ${topic}, partition ${partition}, offset ${first.offset}): ${(error as Error).message}`,
          first,
          error,
        );
        metrics.error('dead_letter');
        log.error({ err: failed }, 'task failed: dead letter queue');
        done = (index) => index < decision.failures[0]!.index;
        await this.commitDone(payload, records, done, log, 'wait');
        payload.pause();
        this.fail(failed);
        return;
      }
    }
    metrics.latency(topic, records, result.written, Date.now());
    await this.commitDone(payload, records, done, log, 'background');
  }

  private decode(record: SinkRecord): { batches: Batch[]; errors: Error[] } {
    const config = this.options.config;
    return decode(config.protocolType, record.value!, {
      precision: config.timestampPrecision,
      source: { name: recordName(record) },
    });
  }

  private write(batches: Batch[], payload: EachBatchPayload, log: Logger) {
    const config = this.options.config;
    const client = this.options.client;
    // kwdb-client maps line_influxdb's unnamed timestamp column and stamps rows without a timestamp.
    const attempt = (): Promise<WriteResult> => client.write(batches);
    return withRetries(attempt, {
      maxRetries: config.maxRetries,
      backoffMs: config.retryBackoffMs,
      isRetriable: (error) => error instanceof KwdbClientError && error.retriable,
      onRetry: (attempt, error) => {
        this.options.metrics.error('transient');
        log.warn(
          { attempt, maxRetries: config.maxRetries, backoffMs: config.retryBackoffMs, err: error },
          'transient database error; retrying',
        );
      },
      beforeWait: () => payload.heartbeat(),
      shouldAbort: () => this.stopping || !payload.isRunning() || payload.isStale(),
    });
  }

  private async deadLetter(
    records: readonly SinkRecord[],
    firstFailures: readonly RecordFailure[],
    all: readonly RecordFailure[],
    log: Logger,
  ): Promise<void> {
    const config = this.options.config;
    const errorsConfig = config.errors;
    for (const failure of firstFailures) {
      const record = records[failure.index]!;
      if (errorsConfig.logEnable) {
        log.error(
          {
            offset: record.offset,
            stage: failure.stage,
            reason: describeFailures(all, failure.index),
            ...(errorsConfig.logIncludeMessages ? { value: record.value?.toString('utf8') } : {}),
          },
          'record failed; errors.tolerance=all skips it',
        );
      }
    }
    const topic = errorsConfig.deadLetterQueueTopicName;
    if (topic === '' || this.dlqProducer === undefined) return;
    const messages = firstFailures.map((failure) => {
      const record = records[failure.index]!;
      return deadLetterMessage(
        record,
        { stage: failure.stage, error: failure.error, detail: describeFailures(all, failure.index) },
        {
          connector: config.name,
          taskId: this.options.taskId,
          contextHeaders: errorsConfig.deadLetterQueueContextHeadersEnable,
        },
      );
    });
    await this.dlqProducer.send({ topic, acks: -1, messages });
    this.options.metrics.deadLettered(records[0]!.topic, messages.length);
  }

  /**
   * Resolves and commits up to the last record of the done prefix. `background` (the usual end of
   * a batch): the commit is asked for and the lane goes on to its next batch (offset-committer.ts;
   * waiting for every commit's round trip cost about a tenth of the sink's throughput, issue 17).
   * `wait` (before the task pauses for a failure), and every commit while the task stops: the
   * earlier commits are answered first, then this one, and the batch ends when the broker has it.
   */
  private async commitDone(
    payload: EachBatchPayload,
    records: readonly SinkRecord[],
    done: (index: number) => boolean,
    log: Logger,
    mode: 'wait' | 'background',
  ): Promise<void> {
    const { batch } = payload;
    const next = safeCommitOffset(
      records.map((r) => r.offset),
      done,
    );
    if (next === undefined) return;
    payload.resolveOffset((BigInt(next) - 1n).toString());
    const commit: PartitionCommit = {
      topic: batch.topic,
      partition: batch.partition,
      offset: next,
      highWatermark: batch.highWatermark,
    };
    const send: SendCommit = (offsets) => payload.commitOffsetsIfNecessary(offsets);
    if (mode === 'background' && !this.stopping) {
      this.committer.request(commit, send);
      return;
    }
    await this.committer.flush();
    try {
      await send(commitRequest([commit]));
    } catch (error) {
      this.commitFailed(error, commit, log);
      throw error;
    }
    this.committed([commit]);
  }

  /** Metrics of commits the broker has: one count each, and the partition's lag at its batch. */
  private committed(commits: readonly PartitionCommit[]): void {
    for (const c of commits) {
      this.options.metrics.committed();
      this.options.metrics.lag(c.topic, c.partition, partitionLag(c.highWatermark, c.offset));
    }
    this.log.debug({ commits: commits.map((c) => `${c.topic}/${c.partition}@${c.offset}`) }, 'committed');
  }

  private commitFailed(error: unknown, commit: PartitionCommit, log: Logger): void {
    this.options.metrics.error('commit');
    log.warn(
      { topic: commit.topic, partition: commit.partition, offset: commit.offset, err: error },
      'offset commit failed; the records will be replayed (idempotent)',
    );
  }
}

/** kafkajs errors that mean "the group is rebalancing / this member lost its partitions". */
export function isKafkaRebalance(error: unknown): boolean {
  const e = error as { name?: unknown; type?: unknown };
  if (typeof e?.name !== 'string' || !e.name.startsWith('KafkaJS')) return false;
  return [
    'REBALANCE_IN_PROGRESS',
    'UNKNOWN_MEMBER_ID',
    'ILLEGAL_GENERATION',
    'NOT_COORDINATOR_FOR_GROUP',
  ].includes(String(e.type));
}

export { RetriesExhaustedError };
