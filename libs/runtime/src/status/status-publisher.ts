// Publishes connector and task states to the status topic (one record per change).
import type { Kafka, Producer } from 'kafkajs';
import { NotStartedError } from '../errors';
import { scrubSecrets } from '../logger/scrub-secrets';
import {
  connectorStatusKey,
  encodeStatusValue,
  encodeTopicStatusValue,
  taskStatusKey,
  topicStatusKey,
  type StatusState,
  type StatusValue,
} from './status-record';

export interface StatusPublisherOptions {
  kafka: Kafka;
  topic: string;
  /** This worker's id as Kafka Connect shows it (host:port, or the pod name). */
  workerId: string;
  /** Written into every value; default 0. */
  generation?: number;
  /** The plugin version written into every value (Kafka Connect 4.1's `version`); omitted when undefined. */
  version?: string;
  /** Secret values masked in traces (traces are served by the REST API). */
  secretValues?: readonly string[];
  /** Clock for updated_at; default Date.now. */
  now?: () => number;
}

/** The trace Kafka Connect shows for a FAILED instance: the stack, else the message. */
export function errorTrace(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

export class StatusPublisher {
  private readonly options: StatusPublisherOptions;
  private producer: Producer | undefined;

  constructor(options: StatusPublisherOptions) {
    this.options = options;
  }

  async connect(): Promise<void> {
    const producer = this.options.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    this.producer = producer;
  }

  async disconnect(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect();
  }

  async publishTask(
    connector: string,
    taskId: number,
    state: StatusState,
    trace?: string | null,
  ): Promise<void> {
    await this.send(taskStatusKey(connector, taskId), this.value(state, trace));
  }

  async publishConnector(connector: string, state: StatusState, trace?: string | null): Promise<void> {
    await this.send(connectorStatusKey(connector), this.value(state, trace));
  }

  /** Writes tombstones for the connector and the given tasks (a deleted connector). */
  async deleteConnector(connector: string, taskIds: readonly number[] = []): Promise<void> {
    const keys = [connectorStatusKey(connector), ...taskIds.map((id) => taskStatusKey(connector, id))];
    await this.producer_().send({
      topic: this.options.topic,
      acks: -1,
      messages: keys.map((key) => ({ key, value: null })),
    });
  }

  /** Records that the connector's task used `topic` (KIP-558 topic tracking). */
  async publishTopic(connector: string, topic: string, taskId: number): Promise<void> {
    const value = encodeTopicStatusValue({
      name: topic,
      connector,
      task: taskId,
      discoverTimestamp: (this.options.now ?? Date.now)(),
    });
    await this.producer_().send({
      topic: this.options.topic,
      acks: -1,
      messages: [{ key: topicStatusKey(connector, topic), value }],
    });
  }

  /** Tombstones for the connector's recorded topics (a reset, or a deleted connector). */
  async deleteTopics(connector: string, topics: readonly string[]): Promise<void> {
    if (topics.length === 0) return;
    await this.producer_().send({
      topic: this.options.topic,
      acks: -1,
      messages: topics.map((topic) => ({ key: topicStatusKey(connector, topic), value: null })),
    });
  }

  /** The value this publisher would write; exposed for tests and for callers that log it. */
  value(state: StatusState, trace?: string | null): StatusValue {
    const secretValues = this.options.secretValues ?? [];
    const value: StatusValue = {
      state,
      trace: trace == null ? null : (JSON.parse(scrubSecrets(JSON.stringify(trace), secretValues)) as string),
      worker_id: this.options.workerId,
      generation: this.options.generation ?? 0,
      updated_at: (this.options.now ?? Date.now)(),
    };
    if (this.options.version !== undefined) value.version = this.options.version;
    return value;
  }

  private async send(key: string, value: StatusValue): Promise<void> {
    await this.producer_().send({
      topic: this.options.topic,
      acks: -1,
      messages: [{ key, value: encodeStatusValue(value) }],
    });
  }

  private producer_(): Producer {
    if (this.producer === undefined) throw new NotStartedError('StatusPublisher is not connected');
    return this.producer;
  }
}
