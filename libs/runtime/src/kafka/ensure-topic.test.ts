// ensureTopic with a small fake admin: the shapes in which a lost creation race can arrive are
// all "exists", and the configuration is still checked after them.
import { describe, expect, it } from '@jest/globals';
import type { Admin } from 'kafkajs';
import { ensureTopic, isTopicAlreadyExists, waitForTopicLeaders } from './ensure-topic';

const alreadyExists = { name: 'KafkaJSCreateTopicError', type: 'TOPIC_ALREADY_EXISTS', code: 36 };

/** Metadata of a topic whose partitions all have leader 1. */
const ledMetadata = async ({ topics }: { topics: string[] }) => ({
  topics: topics.map((name) => ({
    name,
    partitions: Array.from({ length: 5 }, (_, partitionId) => ({ partitionId, leader: 1 })),
  })),
});

function fakeAdmin(
  create: () => Promise<boolean>,
  policy = 'compact',
): { admin: Admin; described: string[] } {
  const described: string[] = [];
  const admin = {
    createTopics: create,
    fetchTopicMetadata: ledMetadata,
    describeConfigs: async ({ resources }: { resources: { name: string }[] }) => {
      described.push(resources[0]!.name);
      return { resources: [{ configEntries: [{ configName: 'cleanup.policy', configValue: policy }] }] };
    },
  } as unknown as Admin;
  return { admin, described };
}

describe('ensureTopic', () => {
  it.each([
    { name: 'the protocol error itself', error: alreadyExists },
    { name: 'an aggregate of them', error: { name: 'KafkaJSAggregateError', errors: [alreadyExists] } },
    {
      name: 'wrapped by the retrier',
      error: {
        name: 'KafkaJSNonRetriableError',
        cause: { name: 'KafkaJSAggregateError', errors: [alreadyExists] },
      },
    },
  ])('treats TOPIC_ALREADY_EXISTS ($name) as "exists" and checks the config', async ({ error }) => {
    const { admin, described } = fakeAdmin(async () => {
      throw Object.assign(new Error('Topic creation errors'), error);
    });
    await expect(ensureTopic(admin, 'status', { compacted: true, partitions: 5 })).resolves.toBe(false);
    expect(described).toEqual(['status']);
  });

  it('asks again while the broker does not know a topic another worker just created', async () => {
    let asked = 0;
    const admin = {
      createTopics: async () => false,
      fetchTopicMetadata: ledMetadata,
      describeConfigs: async () => {
        asked += 1;
        if (asked < 3)
          throw Object.assign(new Error('unknown topic'), { type: 'UNKNOWN_TOPIC_OR_PARTITION' });
        return { resources: [{ configEntries: [{ configName: 'cleanup.policy', configValue: 'compact' }] }] };
      },
    } as unknown as Admin;
    await expect(ensureTopic(admin, 'status', { compacted: true, partitions: 1 })).resolves.toBe(false);
    expect(asked).toBe(3);
  });

  it('refuses an existing topic that lost the race but is not compacted', async () => {
    const { admin } = fakeAdmin(async () => {
      throw Object.assign(new Error('exists'), alreadyExists);
    }, 'delete');
    await expect(ensureTopic(admin, 'status', { compacted: true, partitions: 5 })).rejects.toMatchObject({
      code: 'TOPIC_MISCONFIGURED',
    });
  });

  it('rethrows every other error', async () => {
    const other = Object.assign(new Error('boom'), { type: 'INVALID_REPLICATION_FACTOR' });
    const { admin } = fakeAdmin(async () => {
      throw other;
    });
    await expect(ensureTopic(admin, 't', { compacted: false, partitions: 1 })).rejects.toBe(other);
    const mixed = { errors: [alreadyExists, { type: 'POLICY_VIOLATION' }] };
    expect(isTopicAlreadyExists(mixed)).toBe(false);
    expect(isTopicAlreadyExists(null)).toBe(false);
  });

  it('accepts an existing topic with fewer partitions than asked for, once they have leaders', async () => {
    const admin = {
      createTopics: async () => false,
      fetchTopicMetadata: async () => ({
        topics: [{ name: 'status', partitions: [{ partitionId: 0, leader: 1 }] }],
      }),
      describeConfigs: async () => ({
        resources: [{ configEntries: [{ configName: 'cleanup.policy', configValue: 'compact' }] }],
      }),
    } as unknown as Admin;
    await expect(
      ensureTopic(admin, 'status', { compacted: true, partitions: 5, leaderTimeoutMs: 1000 }),
    ).resolves.toBe(false);
  });

  it('returns true when it created the topic, without describing it', async () => {
    const { admin, described } = fakeAdmin(async () => true);
    await expect(ensureTopic(admin, 't', { compacted: true, partitions: 1 })).resolves.toBe(true);
    expect(described).toEqual([]);
  });
});

describe('waitForTopicLeaders', () => {
  const unknown = Object.assign(new Error('This server does not host this topic-partition'), {
    type: 'UNKNOWN_TOPIC_OR_PARTITION',
  });
  it.each([
    {
      name: 'waits out UNKNOWN_TOPIC_OR_PARTITION, then a partition without a leader',
      answers: [unknown, unknown, [1, -1], [1, 1]],
      asks: 4,
    },
    { name: 'waits until every partition is listed', answers: [[1], [1, 1]], asks: 2 },
    { name: 'returns at once when every partition has a leader', answers: [[0, 0]], asks: 1 },
  ])('$name', async ({ answers, asks }) => {
    let asked = 0;
    const admin = {
      fetchTopicMetadata: async () => {
        const answer = answers[Math.min(asked++, answers.length - 1)]!;
        if (answer instanceof Error) throw answer;
        return {
          topics: [{ name: 't', partitions: answer.map((leader, partitionId) => ({ partitionId, leader })) }],
        };
      },
    } as unknown as Admin;
    await waitForTopicLeaders(admin, 't', 2, 10_000);
    expect(asked).toBe(asks);
  });

  it('fails with TOPIC_NOT_READY, naming the topic and the last error, after the timeout', async () => {
    const admin = {
      fetchTopicMetadata: async () => {
        throw unknown;
      },
    } as unknown as Admin;
    await expect(waitForTopicLeaders(admin, 'status', 1, 250)).rejects.toMatchObject({
      code: 'TOPIC_NOT_READY',
      retriable: true,
      message: expect.stringContaining('topic status'),
      cause: unknown,
    });
  });
});
