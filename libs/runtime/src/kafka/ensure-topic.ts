// Creates an internal topic (status, source offsets) when it is missing, and checks that an
// existing one is compacted when compaction is required, as Kafka Connect does for its topics.
// Safe when several workers create the same topic at once: a creator that loses the race gets
// TOPIC_ALREADY_EXISTS from the broker, which means "exists" here (kafkajs usually turns it into
// `false` itself, but not in every shape it can arrive in), and the configuration is then checked.
// It returns only once every partition has a leader: kafkajs's own createTopics({ waitForLeaders })
// gives up after a few quick retries when a busy broker still answers UNKNOWN_TOPIC_OR_PARTITION
// ("This server does not host this topic-partition"), which made first use of a new topic fail.
import type { Admin, ConfigResourceTypes } from 'kafkajs';
import { TopicMisconfiguredError, TopicNotReadyError } from '../errors';

/** ConfigResourceTypes.TOPIC; kafkajs's enum is not importable as a named ESM export at runtime. */
const TOPIC_RESOURCE = 2 as ConfigResourceTypes;

export interface EnsureTopicOptions {
  compacted: boolean;
  partitions: number;
  /** Default -1: the broker's default.replication.factor. */
  replicationFactor?: number;
  /** How long to wait for every partition to have a leader; default 30 s. */
  leaderTimeoutMs?: number;
}

/** Returns true when the topic was created, false when it already existed (and is suitable). */
export async function ensureTopic(admin: Admin, name: string, options: EnsureTopicOptions): Promise<boolean> {
  const configEntries = options.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : [];
  let created: boolean;
  try {
    created = await admin.createTopics({
      waitForLeaders: false,
      topics: [
        {
          topic: name,
          numPartitions: options.partitions,
          replicationFactor: options.replicationFactor ?? -1,
          configEntries,
        },
      ],
    });
  } catch (error) {
    if (!isTopicAlreadyExists(error)) throw error;
    created = false; // another creator won the race
  }
  // An existing topic keeps the partition count it has; a new one must show all of ours.
  await waitForTopicLeaders(admin, name, created ? options.partitions : 1, options.leaderTimeoutMs);
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

/**
 * Whether a createTopics failure is the broker's TOPIC_ALREADY_EXISTS (error code 36, kafkajs `type`): on the error
 * itself, on every error of a KafkaJSAggregateError, or on its cause (kafkajs's retrier wraps errors).
 */
export function isTopicAlreadyExists(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const e = error as { type?: unknown; errors?: unknown; cause?: unknown };
  if (e.type === 'TOPIC_ALREADY_EXISTS') return true;
  if (Array.isArray(e.errors) && e.errors.length > 0)
    return e.errors.every((inner) => isTopicAlreadyExists(inner, depth + 1));
  return isTopicAlreadyExists(e.cause, depth + 1);
}

const LEADER_POLL_MS = 100;

/**
 * Resolves once the topic's metadata lists at least `partitions` partitions, all with a leader.
 * Errors on the way (the broker does not know the topic yet) are retried until the timeout.
 */
export async function waitForTopicLeaders(
  admin: Admin,
  topic: string,
  partitions: number,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = 'no partitions listed';
  for (;;) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      const listed = metadata.topics.find((t) => t.name === topic)?.partitions ?? [];
      if (listed.length >= partitions && listed.every((p) => p.leader >= 0)) return;
      last = `${listed.filter((p) => p.leader >= 0).length} of ${partitions} partitions have a leader`;
    } catch (error) {
      last = error;
    }
    if (Date.now() >= deadline) {
      throw new TopicNotReadyError(
        `topic ${topic} has no leader for every partition after ${timeoutMs} ms`,
        last,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, LEADER_POLL_MS));
  }
}

/** How often, and how far apart, a just-created topic's config is asked for while the broker does not know it yet. */
const DESCRIBE_ATTEMPTS = 20;
const DESCRIBE_BACKOFF_MS = 250;

/**
 * Whether an error says the broker does not know the topic (yet): right after another worker
 * created it, metadata can lag for a moment.
 */
export function isUnknownTopic(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const e = error as { type?: unknown; errors?: unknown; cause?: unknown };
  if (e.type === 'UNKNOWN_TOPIC_OR_PARTITION' || e.type === 'LEADER_NOT_AVAILABLE') return true;
  if (Array.isArray(e.errors) && e.errors.length > 0)
    return e.errors.some((inner) => isUnknownTopic(inner, depth + 1));
  return isUnknownTopic(e.cause, depth + 1);
}

async function cleanupPolicy(admin: Admin, topic: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await describeCleanupPolicy(admin, topic);
    } catch (error) {
      if (!isUnknownTopic(error) || attempt >= DESCRIBE_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, DESCRIBE_BACKOFF_MS));
    }
  }
}

async function describeCleanupPolicy(admin: Admin, topic: string): Promise<string> {
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: TOPIC_RESOURCE, name: topic, configNames: ['cleanup.policy'] }],
  });
  const entry = described.resources[0]?.configEntries.find((e) => e.configName === 'cleanup.policy');
  return entry?.configValue ?? 'delete';
}
