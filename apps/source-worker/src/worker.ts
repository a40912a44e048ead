// The source task: discover -> claim -> poll -> encode -> produce -> store cursor.
// main.ts builds it from the environment and the worker config file; this file wires the parts.
import type { Admin, ConfigResourceTypes, Kafka, Producer } from 'kafkajs';
import type { SourceConfig } from '@kwdb-connect/connector-config';
import type { Precision } from '@kwdb-connect/formats';
import type { KwdbClient } from '@kwdb-connect/kwdb-client';
import {
  ensureTopic,
  type Logger,
  type ActiveTopicsRecorder,
  type OffsetStore,
  type SourceOffset,
  type StatusPublisher,
} from '@kwdb-connect/runtime';
import { ClaimsGroup, claimsGroupId, claimsTopic } from './claims/claims-group';
import { claimChanges } from './claims/assignment';
import { initialCursor } from './cursors/cursor-codec';
import { TableLoop, type TableLoopContext, type TableState } from './cursors/table-loop';
import { diffTables } from './discovery/diff';
import { withKafkaRetry } from './kafka-retry';
import type { SourceMetrics } from './metrics';
import { ClaimProducers } from './produce/claim-producers';
import { AtLeastOnceEmitter, type BeforeCommit, type Emitter } from './produce/emitter';
import { maxMessageBytesOf } from './produce/record-size';
import { retentionMsOf, type TopicLimits } from './produce/retention';
import { topicName } from './topics/topic-name';

export interface SourceWorkerDeps {
  config: SourceConfig;
  /** timestamp.precision only when the user wrote it (else the table's precision is used). */
  precision: Precision | undefined;
  taskId: number;
  kafka: Kafka;
  admin: Admin;
  client: KwdbClient;
  offsets: OffsetStore;
  status: StatusPublisher;
  /** Topic tracking: the topics this task produced to. */
  activeTopics: Pick<ActiveTopicsRecorder, 'record'>;
  metrics: SourceMetrics;
  logger: Logger;
  /** Called once when the task cannot go on: FAILED (exit 2) or crashed (exit 1). */
  onFatal(error: unknown): void;
  /** Test seam (exactly-once): awaited right before each transaction commits. */
  beforeCommit?: BeforeCommit;
  /** Exactly-once: transaction.timeout.ms of the claim producers (default 20 s). */
  transactionTimeoutMs?: number;
}

/** ConfigResourceTypes.TOPIC; kafkajs's enum is not importable as a named ESM export at runtime. */
const TOPIC_RESOURCE = 2 as ConfigResourceTypes;

/** At-least-once: pause before reading a table taken over (fewer re-sent pages; ADR 0011). */
const AT_LEAST_ONCE_SETTLE_MS = 2000;

/** Partitions of the claims topic: enough for good balance, at least one per task. */
export function claimsPartitions(tasksMax: number): number {
  return Math.max(32, tasksMax);
}

export class SourceWorker {
  private readonly known = new Set<string>();
  private readonly states = new Map<string, TableState>();
  private readonly loops = new Map<string, TableLoop>();
  /** Tables owned in the generation the current loops belong to. */
  private ownedBefore = new Set<string>();
  private readonly claims: ClaimsGroup;
  /** At-least-once: one idempotent producer for every table. */
  private producer: Producer | undefined;
  private atLeastOnce: AtLeastOnceEmitter | undefined;
  /** Exactly-once: one transactional producer per claims partition in use (ADR 0011). */
  private claimProducers: ClaimProducers | undefined;
  /** Data topics ensured so far, with their max.message.bytes and retention.ms. */
  private readonly topicsReady = new Map<string, TopicLimits>();
  private discoveryTimer: NodeJS.Timeout | undefined;
  private lagTimer: NodeJS.Timeout | undefined;
  private reconciling: Promise<void> = Promise.resolve();
  private paused = false;
  private stopping = false;
  private discovered = false;

  constructor(private readonly deps: SourceWorkerDeps) {
    this.claims = new ClaimsGroup({
      kafka: deps.kafka,
      groupId: claimsGroupId(deps.config.name),
      topic: claimsTopic(deps.config.name),
      knownTables: () => [...this.known],
      logger: deps.logger,
      onChange: () => this.reconcile(),
    });
  }

  get connector(): string {
    return this.deps.config.name;
  }

  /** Ready: connected, first discovery done, claims assigned (running or paused). */
  isReady(): boolean {
    return this.discovered && this.claims.hasAssignment && !this.stopping;
  }

  async start(): Promise<void> {
    const { config, kafka, admin, offsets, logger } = this.deps;
    const exactlyOnce = config.exactlyOnceSourceSupport === 'enabled';
    if (exactlyOnce) {
      this.claimProducers = new ClaimProducers({
        kafka,
        offsets,
        connector: config.name,
        logger,
        ...(this.deps.beforeCommit === undefined ? {} : { beforeCommit: this.deps.beforeCommit }),
        ...(this.deps.transactionTimeoutMs === undefined
          ? {}
          : { transactionTimeoutMs: this.deps.transactionTimeoutMs }),
      });
      logger.info({ exactlyOnce }, 'transactional producers are made per claims partition in use');
    } else {
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      this.producer = producer;
      this.atLeastOnce = new AtLeastOnceEmitter(producer, offsets, config.name);
      logger.info({ exactlyOnce }, 'producer connected');
    }

    await this.discover();
    this.discovered = true;
    const partitions = claimsPartitions(config.tasksMax);
    await withKafkaRetry(() =>
      ensureTopic(admin, claimsTopic(config.name), { compacted: false, partitions }),
    );
    const actual = (
      await withKafkaRetry(() => admin.fetchTopicMetadata({ topics: [claimsTopic(config.name)] }))
    ).topics[0]!.partitions.length;
    await this.claims.start(actual);
    this.discoveryTimer = setInterval(() => void this.discoverSafely(), config.pollIntervalMs);
    this.lagTimer = setInterval(() => this.deps.metrics.refreshLag(Date.now()), 1000);
  }

  /** targetState PAUSED: stop polling, keep the claims. */
  async pause(): Promise<void> {
    this.paused = true;
    await this.reconcile();
  }

  async resume(): Promise<void> {
    this.paused = false;
    await this.reconcile();
  }

  /** Drain: stop every loop (in-flight pages finish and store their cursors), leave the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.discoveryTimer);
    clearInterval(this.lagTimer);
    await this.reconcile();
    await this.reconciling;
    await this.claims.stop();
    await this.claimProducers?.closeAll();
    await this.producer?.disconnect();
  }

  private async discoverSafely(): Promise<void> {
    try {
      await this.discover();
    } catch (error) {
      this.deps.metrics.error('discovery');
      this.deps.logger.warn({ err: error }, 'table discovery failed; retrying at the next poll');
    }
  }

  /** Refreshes the table list (every poll.interval.ms). */
  private async discover(): Promise<void> {
    const listed = await this.deps.client.listTables();
    const { added, dropped } = diffTables(this.known, listed);
    for (const table of added) {
      this.known.add(table);
      this.deps.logger.info({ table }, 'table discovered');
    }
    for (const table of dropped) {
      this.known.delete(table);
      this.deps.logger.info({ table }, 'table dropped; it is no longer read');
    }
    this.deps.metrics.tableEvent('added', added.length);
    this.deps.metrics.tableEvent('dropped', dropped.length);
    if (added.length > 0 || dropped.length > 0) await this.reconcile();
  }

  /** Starts and stops table loops to match claims, the table list and the target state. Serialized. */
  private reconcile(): Promise<void> {
    this.reconciling = this.reconciling
      .then(() => this.reconcileNow())
      .catch((error: unknown) => this.deps.onFatal(error));
    return this.reconciling;
  }

  private async reconcileNow(): Promise<void> {
    const generation = this.claims.generation;
    const owned = new Set(this.claims.leaseValid() ? this.claims.ownedOf(this.known) : []);
    const active = !this.paused && !this.stopping;
    // Loops of an older generation stop (their page in flight finishes or is abandoned).
    const stale = [...this.loops.entries()].filter(
      ([table, loop]) => !active || !owned.has(table) || loop.generation !== generation,
    );
    await Promise.all(stale.map(([, loop]) => loop.stop()));
    for (const [table] of stale) this.loops.delete(table);
    // Producers fenced in an older generation are closed; the new generation fences again.
    await this.claimProducers?.closeOlderThan(active ? generation : Number.POSITIVE_INFINITY);

    const { acquired, released } = claimChanges(this.ownedBefore, owned);
    for (const table of released) {
      // Another task may advance this table's cursor now: forget ours.
      this.states.delete(table);
      this.deps.metrics.forgetTable(table);
    }
    if (released.length > 0) this.deps.logger.info({ tables: released }, 'tables released');
    if (acquired.length > 0) this.deps.logger.info({ tables: acquired }, 'tables claimed');
    this.ownedBefore = owned;
    this.deps.metrics.tablesOwned(owned.size);
    if (!active) return;

    const context = this.loopContext(generation);
    for (const table of owned) {
      if (this.loops.has(table)) continue;
      let state = this.states.get(table);
      const takenOver = state === undefined;
      if (state === undefined) {
        state = { table };
        this.states.set(table, state);
      }
      const settleMs = takenOver && this.claimProducers === undefined ? AT_LEAST_ONCE_SETTLE_MS : 0;
      const loop = new TableLoop(context, state, generation, settleMs);
      this.loops.set(table, loop);
      loop.start();
    }
  }

  /** At-least-once: the shared emitter. Exactly-once: the table's claim producer, fenced first. */
  private async emitterFor(table: string, generation: number): Promise<Emitter> {
    if (this.claimProducers === undefined) return this.atLeastOnce!;
    return this.claimProducers.fence(this.claims.partitionOf(table), generation);
  }

  private loopContext(generation: number): TableLoopContext {
    const { config, client, metrics, logger, offsets } = this.deps;
    const naming = {
      prefix: config.topicPrefix,
      delimiter: config.topicDelimiter,
      perStable: config.topicPerStable,
      ignoreDb: config.topicIgnoreDb,
    };
    return {
      client,
      emitterFor: (table) => this.emitterFor(table, generation),
      onFenced: async (table, emitter) =>
        this.claimProducers?.discardFenced(this.claims.partitionOf(table), emitter),
      topicUsed: (topic) => this.deps.activeTopics.record(topic),
      metrics,
      logger,
      settings: {
        fetchMaxRows: config.fetchMaxRows,
        queryIntervalMs: config.queryIntervalMs,
        delayMs: config.timestampDelayIntervalMs,
        format: config.outFormat,
        precision: this.deps.precision,
        exactlyOnce: config.exactlyOnceSourceSupport === 'enabled',
        recordTimestamp: config.recordTimestamp,
        tolerateEncodeErrors: config.errors.tolerance === 'all',
      },
      tableKey: (table) => `${config.connection.database}.${table}`,
      topicFor: (table) => topicName(naming, config.connection.database, table),
      ensureTopic: (topic) => this.ensureDataTopic(topic),
      storedCursor: async (table): Promise<SourceOffset | undefined> =>
        (await offsets.readAll(config.name)).get(`${config.connection.database}.${table}`),
      initialCursor: initialCursor(config.timestampInitial),
      stillOwns: (table, generation) => this.claims.stillOwns(table, generation),
      onDropped: (table) => {
        this.known.delete(table);
        this.states.delete(table);
        this.loops.delete(table);
        metrics.forgetTable(table);
        metrics.tableEvent('dropped');
      },
      onFatal: (error) => this.deps.onFatal(error),
    };
  }

  /** Creates a data topic when missing; returns its max.message.bytes and retention.ms (read once per topic). */
  private async ensureDataTopic(topic: string): Promise<TopicLimits> {
    const known = this.topicsReady.get(topic);
    if (known !== undefined) return known;
    const partitionsText = this.deps.config.passthrough['topic.creation.default.partitions'];
    const partitions = partitionsText === undefined ? 1 : Number(partitionsText);
    const created = await ensureTopic(this.deps.admin, topic, { compacted: false, partitions });
    if (created) this.deps.logger.info({ topic, partitions }, 'topic created');
    const described = await this.deps.admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: TOPIC_RESOURCE, name: topic, configNames: ['max.message.bytes', 'retention.ms'] }],
    });
    const entries = described.resources[0]?.configEntries ?? [];
    const valueOf = (name: string): string | undefined =>
      entries.find((e) => e.configName === name)?.configValue;
    const limits: TopicLimits = {
      maxMessageBytes: maxMessageBytesOf(valueOf('max.message.bytes')),
      retentionMs: retentionMsOf(valueOf('retention.ms')),
    };
    this.deps.logger.info({ topic, ...limits }, 'topic ready');
    this.topicsReady.set(topic, limits);
    return limits;
  }
}
