// The status topic as config-api sees it: StatusReader for GET .../status, StatusPublisher for the
// connector-level state (config-api is the "worker" that owns the connector instances).
import type { Kafka } from 'kafkajs';
import { ensureTopic, StatusPublisher, StatusReader, type Logger } from '@kwdb-connect/runtime';
import type { InstanceStatus, PublishedStatus, StatusBackend } from '../services/ports';

/** Kafka Connect's default status.storage.partitions. */
export const STATUS_TOPIC_PARTITIONS = 5;
const CATCH_UP_TIMEOUT_MS = 10_000;

export class KafkaStatusBackend implements StatusBackend {
  readonly workerId: string;
  private readonly kafka: Kafka;
  private readonly topic: string;
  private readonly reader: StatusReader;
  private readonly publisher: StatusPublisher;

  constructor(options: { kafka: Kafka; topic: string; workerId: string; version: string; logger: Logger }) {
    this.kafka = options.kafka;
    this.topic = options.topic;
    this.workerId = options.workerId;
    this.reader = new StatusReader({ kafka: options.kafka, topic: options.topic, logger: options.logger });
    this.publisher = new StatusPublisher({
      kafka: options.kafka,
      topic: options.topic,
      workerId: options.workerId,
      version: options.version,
    });
  }

  async start(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await ensureTopic(admin, this.topic, { compacted: true, partitions: STATUS_TOPIC_PARTITIONS });
    } finally {
      await admin.disconnect();
    }
    await this.publisher.connect();
    await this.reader.start();
  }

  async close(): Promise<void> {
    await this.reader.close();
    await this.publisher.disconnect();
  }

  failure(): Error | undefined {
    return this.reader.failure();
  }

  async read(name: string): Promise<PublishedStatus> {
    await this.reader.waitForCaughtUp(CATCH_UP_TIMEOUT_MS);
    const status = this.reader.get(name);
    const tasks = new Map<number, InstanceStatus>();
    for (const task of status?.tasks ?? []) tasks.set(task.id, instance(task));
    return { connector: status?.connector ? instance(status.connector) : undefined, tasks };
  }

  async topics(name: string): Promise<string[]> {
    await this.reader.waitForCaughtUp(CATCH_UP_TIMEOUT_MS);
    return this.reader.topics(name).map((t) => t.name);
  }

  async removeTopics(name: string, topics: readonly string[]): Promise<void> {
    await this.publisher.deleteTopics(name, topics);
  }

  async publishConnector(name: string, state: 'RUNNING' | 'PAUSED' | 'STOPPED'): Promise<void> {
    await this.publisher.publishConnector(name, state);
  }

  /** Task states config-api learns itself (a crashed process, a missing worker build). */
  async publishTask(
    name: string,
    task: number,
    state: 'UNASSIGNED' | 'FAILED',
    trace?: string,
  ): Promise<void> {
    await this.publisher.publishTask(name, task, state, trace ?? null);
  }

  async remove(name: string, taskIds: readonly number[]): Promise<void> {
    await this.publisher.deleteConnector(name, taskIds);
  }
}

function instance(value: {
  state: InstanceStatus['state'];
  worker_id: string;
  trace: string | null;
  version?: string;
}): InstanceStatus {
  const out: InstanceStatus = { state: value.state, worker_id: value.worker_id };
  if (value.trace !== null && value.trace !== undefined) out.trace = value.trace;
  if (value.version !== undefined) out.version = value.version;
  return out;
}
