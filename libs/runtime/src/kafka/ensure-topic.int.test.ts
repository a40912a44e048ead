// ensureTopic against the real Kafka: several workers creating the same topic at once (each task
// of a connector creates the status topic on start) all succeed, exactly one reports "created",
// and the configuration is still verified afterwards.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { loadTestEnv, uniqueName } from '@kwdb-connect/testing';
import { ensureTopic } from './ensure-topic';

describe('ensureTopic (real Kafka)', () => {
  const env = loadTestEnv('kafka');
  const admins: Admin[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) {
      // One Kafka client per admin, as separate worker processes would have.
      const kafka = new Kafka({
        clientId: `ensure-topic-test-${i}`,
        brokers: env.kafka.brokers,
        logLevel: logLevel.NOTHING,
      });
      const admin = kafka.admin();
      await admin.connect();
      admins.push(admin);
    }
  });

  afterAll(async () => {
    await Promise.all(admins.map((a) => a.disconnect()));
  });

  it.each([1, 2, 3])('creates the same compacted topic from 3 admins at once (round %i)', async () => {
    const topic = uniqueName('race-status');
    const results = await Promise.all(
      admins.map((a) => ensureTopic(a, topic, { compacted: true, partitions: 5 })),
    );
    expect(results.filter((created) => created)).toHaveLength(1);
    const metadata = await admins[0]!.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0]?.partitions).toHaveLength(5);
    const described = await admins[0]!.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2, name: topic, configNames: ['cleanup.policy'] }],
    });
    expect(described.resources[0]?.configEntries[0]?.configValue).toBe('compact');
  });

  it('still refuses, after a race, a topic that is not compacted', async () => {
    const topic = uniqueName('race-plain');
    await Promise.all(admins.map((a) => ensureTopic(a, topic, { compacted: false, partitions: 1 })));
    // allSettled, not all: every call must finish before the test ends and the admins disconnect.
    const outcomes = await Promise.allSettled(
      admins.map((a) => ensureTopic(a, topic, { compacted: true, partitions: 1 })),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ reason: { code: 'TOPIC_MISCONFIGURED' } });
    }
  });
});
