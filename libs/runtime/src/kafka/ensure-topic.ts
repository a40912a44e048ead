// Creates an internal topic (status, source offsets) when it is missing, and checks that an
// existing one is compacted when compaction is required, as Kafka Connect does for its topics.
import type { Admin, ConfigResourceTypes } from 'kafkajs';
import { TopicMisconfiguredError } from '../errors';

/** ConfigResourceTypes.TOPIC; kafkajs's enum is not importable as a named ESM export at runtime. */
const TOPIC_RESOURCE = 2 as ConfigResourceTypes;

export interface EnsureTopicOptions {
  compacted: boolean;
  partitions: number;
  /** Default -1: the broker's default.replication.factor. */
  replicationFactor?: number;
}

/** Returns true when the topic was created, false when it already existed (and is suitable). */
export async function ensureTopic(admin: Admin, name: string, options: EnsureTopicOptions): Promise<boolean> {
  const configEntries = options.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : [];
  const created = await admin.createTopics({
    waitForLeaders: true,
    topics: [
      {
        topic: name,
        numPartitions: options.partitions,
        replicationFactor: options.replicationFactor ?? -1,
        configEntries,
      },
    ],
  });
  if (!created && options.compacted) {
    const policy = await cleanupPolicy(admin, name);
    if (!policy.split(',').includes('compact')) {
      throw new TopicMisconfiguredError(
        `topic ${name} must have cleanup.policy=compact, but has cleanup.policy=${policy}`,
      );
    }
  }
  return created;
}

async function cleanupPolicy(admin: Admin, topic: string): Promise<string> {
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: TOPIC_RESOURCE, name: topic, configNames: ['cleanup.policy'] }],
  });
  const entry = described.resources[0]?.configEntries.find((e) => e.configName === 'cleanup.policy');
  return entry?.configValue ?? 'delete';
}
