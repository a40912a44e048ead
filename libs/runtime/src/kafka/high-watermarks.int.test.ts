// High watermarks against the real Kafka, next to what kafkajs's admin reports (the last stable
// offset), to prove the two differ while a transaction is open.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { loadTestEnv, uniqueName } from '@kwdb-connect/testing';
import { ensureTopic } from './ensure-topic';
import { HighWatermarks } from './high-watermarks';

process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';

describe('HighWatermarks (real Kafka)', () => {
  const env = loadTestEnv('kafka');
  const kafka = new Kafka({
    clientId: 'runtime-hw-test',
    brokers: env.kafka.brokers,
    logLevel: logLevel.NOTHING,
  });
  let admin: Admin;
  let watermarks: HighWatermarks;

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    watermarks = new HighWatermarks(kafka);
    await watermarks.connect();
  });

  afterAll(async () => {
    await watermarks?.disconnect();
    await admin?.disconnect();
  });

  it('reports 0..0 for every partition of an empty topic', async () => {
    const topic = uniqueName('hw-empty');
    await ensureTopic(admin, topic, { compacted: false, partitions: 3 });
    expect(await watermarks.fetch(topic)).toEqual([
      { partition: 0, high: '0', low: '0' },
      { partition: 1, high: '0', low: '0' },
      { partition: 2, high: '0', low: '0' },
    ]);
  });

  it('counts plain records', async () => {
    const topic = uniqueName('hw-plain');
    await ensureTopic(admin, topic, { compacted: false, partitions: 1 });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] });
    await producer.disconnect();
    expect(await watermarks.fetch(topic)).toEqual([{ partition: 0, high: '3', low: '0' }]);
  });

  it('includes the records of an open transaction, which the last stable offset does not', async () => {
    const topic = uniqueName('hw-tx');
    await ensureTopic(admin, topic, { compacted: false, partitions: 1 });
    const producer = kafka.producer({
      transactionalId: uniqueName('hw-tx'),
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    try {
      const transaction = await producer.transaction();
      await transaction.send({ topic, messages: [{ value: 'x' }, { value: 'y' }] });
      expect(await watermarks.fetch(topic)).toEqual([{ partition: 0, high: '2', low: '0' }]);
      expect((await admin.fetchTopicOffsets(topic)).map((p) => p.high)).toEqual(['0']);
      await transaction.abort();
    } finally {
      await producer.disconnect();
    }
  });
});
