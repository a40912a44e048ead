// Offsets of the offsets endpoints (KIP-875). Sink: the consumer group `connect-<name>`'s committed
// offsets, through the Kafka admin API. Source: the per-table cursors in the offsets topic.
import type { Admin, Kafka } from 'kafkajs';
import type { ConnectorKind } from '@kwdb-connect/connector-config';
import { ensureTopic, OffsetStore, type Logger, type SourceOffset } from '@kwdb-connect/runtime';
import { ApiError } from '../errors';
import type { ConnectorOffset, OffsetsBackend } from '../services/ports';
import type { ConnectorDefinition } from '../store/connector-store';

/** Kafka Connect's default offset.storage.partitions. */
export const OFFSETS_TOPIC_PARTITIONS = 25;

/** Kafka Connect's consumer group name of a sink connector. */
export function sinkGroupId(connector: string): string {
  return `connect-${connector}`;
}

/** kafkajs fetchOffsets rows -> Kafka Connect's sink offsets, sorted, partitions without a commit left out. */
export function sinkOffsetsOf(
  rows: readonly { topic: string; partitions: readonly { partition: number; offset: string }[] }[],
): ConnectorOffset[] {
  const out: ConnectorOffset[] = [];
  for (const { topic, partitions } of [...rows].sort((a, b) => a.topic.localeCompare(b.topic))) {
    for (const { partition, offset } of [...partitions].sort((a, b) => a.partition - b.partition)) {
      if (offset === '-1' || offset === '') continue;
      out.push({
        partition: { kafka_topic: topic, kafka_partition: partition },
        offset: { kafka_offset: Number(offset) },
      });
    }
  }
  return out;
}

/** The source cursors by table -> Kafka Connect's `{"partition":{"table"},"offset":{...}}`, sorted by table. */
export function sourceOffsetsOf(byTable: ReadonlyMap<string, SourceOffset>): ConnectorOffset[] {
  return [...byTable.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([table, offset]) => ({ partition: { table }, offset }));
}

export class KafkaOffsetsBackend implements OffsetsBackend {
  private readonly kafka: Kafka;
  private readonly topic: string;
  private readonly store: OffsetStore;
  private admin: Admin | undefined;

  constructor(options: { kafka: Kafka; topic: string; logger: Logger }) {
    this.kafka = options.kafka;
    this.topic = options.topic;
    this.store = new OffsetStore({
      kafka: options.kafka,
      topic: options.topic,
      logger: options.logger,
      catchUpTimeoutMs: 10_000,
    });
  }

  async start(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    await ensureTopic(admin, this.topic, { compacted: true, partitions: OFFSETS_TOPIC_PARTITIONS });
    this.admin = admin;
    await this.store.start();
  }

  async close(): Promise<void> {
    await this.store.close();
    await this.admin?.disconnect();
    this.admin = undefined;
  }

  failure(): Error | undefined {
    return this.store.failure();
  }

  private admin_(): Admin {
    if (this.admin === undefined) throw new Error('offsets backend is not started');
    return this.admin;
  }

  async list(kind: ConnectorKind, definition: ConnectorDefinition): Promise<ConnectorOffset[]> {
    if (kind === 'source') return sourceOffsetsOf(await this.store.readAll(definition.name));
    const rows = await this.admin_().fetchOffsets({ groupId: sinkGroupId(definition.name) });
    return sinkOffsetsOf(rows);
  }

  async alter(
    kind: ConnectorKind,
    definition: ConnectorDefinition,
    offsets: readonly ConnectorOffset[],
  ): Promise<void> {
    if (kind === 'source') {
      for (const { partition, offset } of offsets) {
        await this.store.write(definition.name, String(partition['table']), offset as SourceOffset | null);
      }
      return;
    }
    const admin = this.admin_();
    const byTopic = new Map<string, { partition: number; offset: string }[]>();
    for (const { partition, offset } of offsets) {
      const topic = String(partition['kafka_topic']);
      const p = Number(partition['kafka_partition']);
      let value: string;
      if (offset === null) {
        // kafkajs has no OffsetDelete; a reset partition restarts from the earliest offset,
        // which is where a group without a committed offset starts (auto.offset.reset=earliest).
        const low = (await admin.fetchTopicOffsets(topic)).find((o) => o.partition === p)?.low ?? '0';
        value = low;
      } else {
        value = String(offset['kafka_offset']);
      }
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), { partition: p, offset: value }]);
    }
    for (const [topic, partitions] of byTopic) {
      try {
        await admin.setOffsets({ groupId: sinkGroupId(definition.name), topic, partitions });
      } catch (error) {
        throw asConflict(error);
      }
    }
  }

  async reset(kind: ConnectorKind, definition: ConnectorDefinition): Promise<void> {
    if (kind === 'source') {
      await this.store.reset(definition.name);
      return;
    }
    try {
      await this.admin_().deleteGroups([sinkGroupId(definition.name)]);
    } catch (error) {
      const groups = (error as { groups?: { error?: { type?: string } }[] }).groups ?? [];
      if (groups.length > 0 && groups.every((g) => g.error?.type === 'GROUP_ID_NOT_FOUND')) return;
      throw asConflict(error);
    }
  }
}

/** A group that still has members cannot have its offsets changed: 409, as Kafka Connect answers. */
function asConflict(error: unknown): unknown {
  const message = (error as Error).message ?? '';
  if (/running instances|NON_EMPTY_GROUP|not empty/i.test(message)) {
    return new ApiError('CONFLICT', 409, `The consumer group still has active members: ${message}`, {
      cause: error,
    });
  }
  return error;
}
