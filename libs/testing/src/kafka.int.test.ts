// Smoke test: the test environment's Kafka is a real broker that kafkajs 2.2.4 can use
// for admin createTopics, produce, consume in a group, and transactions.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { loadTestEnv, uniqueName } from './index';

process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';

describe('Kafka (real broker)', () => {
  const env = loadTestEnv('kafka');
  const kafka = new Kafka({ clientId: 'smoke', brokers: env.kafka.brokers, logLevel: logLevel.WARN });
  let admin: Admin;

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
  });
  afterAll(async () => {
    await admin.disconnect();
  });

  /**
   * admin.createTopics, then metadata polled until every partition has a leader. kafkajs's own
   * waitForLeaders gives up after a few quick retries on a busy broker (UNKNOWN_TOPIC_OR_PARTITION);
   * the product's ensureTopic waits the same way (libs/runtime).
   */
  async function createTopic(topic: string, partitions: number): Promise<boolean> {
    const created = await admin.createTopics({
      waitForLeaders: false,
      topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
    });
    const deadline = Date.now() + 30_000;
    for (;;) {
      const listed = await admin
        .fetchTopicMetadata({ topics: [topic] })
        .then((m) => m.topics[0]?.partitions ?? [])
        .catch(() => []);
      if (listed.length === partitions && listed.every((p) => p.leader >= 0)) return created;
      if (Date.now() > deadline) throw new Error(`topic ${topic}: no leader for every partition within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('creates a 6-partition topic and round-trips records through a consumer group', async () => {
    const topic = uniqueName('smoke');
    expect(await createTopic(topic, 6)).toBe(true);
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0]?.partitions).toHaveLength(6);

    // Idempotent: a send retried after a leader change must not write its records twice.
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const sent = Array.from({ length: 60 }, (_, i) => ({ partition: i % 6, key: `k${i}`, value: `v${i}` }));
    await producer.send({ topic, messages: sent });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: uniqueName('smoke-group') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: { partition: number; value: string }[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${received.length} of 60 records arrived`)),
        30_000,
      );
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          received.push({ partition, value: message.value?.toString() ?? '' });
          if (received.length === sent.length) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    await consumer.disconnect();

    expect(new Set(received.map((r) => r.partition))).toEqual(new Set([0, 1, 2, 3, 4, 5]));
    expect(received.map((r) => r.value).sort()).toEqual(sent.map((m) => m.value).sort());
    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets.reduce((sum, o) => sum + Number(o.high), 0)).toBe(60);
  });

  it('commits and aborts transactions; read_committed consumers see only committed records', async () => {
    const topic = uniqueName('smoke-tx');
    await createTopic(topic, 1);
    const producer = kafka.producer({
      transactionalId: uniqueName('tx'),
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    const committed = await producer.transaction();
    await committed.send({ topic, messages: [{ value: 'committed-1' }, { value: 'committed-2' }] });
    await committed.commit();
    const aborted = await producer.transaction();
    await aborted.send({ topic, messages: [{ value: 'aborted' }] });
    await aborted.abort();
    const last = await producer.transaction();
    await last.send({ topic, messages: [{ value: 'committed-3' }] });
    await last.commit();
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: uniqueName('smoke-tx-group'), readUncommitted: false });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const seen: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`saw only ${JSON.stringify(seen)}`)), 30_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          seen.push(message.value?.toString() ?? '');
          if (seen.includes('committed-3')) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    await consumer.disconnect();
    expect(seen).toEqual(['committed-1', 'committed-2', 'committed-3']);
  });
});
