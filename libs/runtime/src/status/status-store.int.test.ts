// The status topic against the real Kafka: publish, read back, tombstones, latest value wins,
// and a reader started later rebuilds the same view from the topic.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { loadTestEnv, uniqueName } from '@kwdb-connect/testing';
import { ensureTopic } from '../kafka/ensure-topic';
import { StatusPublisher } from './status-publisher';
import { StatusReader } from './status-reader';

process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';

describe('status topic (real Kafka)', () => {
  const env = loadTestEnv('kafka');
  const kafka = new Kafka({
    clientId: 'runtime-status-test',
    brokers: env.kafka.brokers,
    logLevel: logLevel.NOTHING,
  });
  const topic = uniqueName('connect-status');
  let admin: Admin;
  let publisher: StatusPublisher;
  let reader: StatusReader;

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    expect(await ensureTopic(admin, topic, { compacted: true, partitions: 1 })).toBe(true);
    publisher = new StatusPublisher({ kafka, topic, workerId: 'worker-a:8080', generation: 1 });
    await publisher.connect();
    reader = new StatusReader({ kafka, topic });
    await reader.start();
  });

  afterAll(async () => {
    await reader?.close();
    await publisher?.disconnect();
    await admin?.disconnect();
  });

  it('creates the topic compacted, and accepts it again as it is', async () => {
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2, name: topic, configNames: ['cleanup.policy'] }],
    });
    expect(described.resources[0]?.configEntries[0]?.configValue).toBe('compact');
    expect(await ensureTopic(admin, topic, { compacted: true, partitions: 1 })).toBe(false);
  });

  it('refuses an existing topic that is not compacted', async () => {
    const plain = uniqueName('not-compacted');
    await ensureTopic(admin, plain, { compacted: false, partitions: 1 });
    await expect(ensureTopic(admin, plain, { compacted: true, partitions: 1 })).rejects.toMatchObject({
      code: 'TOPIC_MISCONFIGURED',
    });
  });

  it('publishes connector and task states and reads them back; the latest value per key wins', async () => {
    const name = uniqueName('sink');
    await publisher.publishConnector(name, 'RUNNING');
    await publisher.publishTask(name, 0, 'UNASSIGNED');
    await publisher.publishTask(name, 1, 'RUNNING');
    await publisher.publishTask(name, 0, 'RUNNING');
    await publisher.publishTask(name, 1, 'FAILED', 'org.example.Boom: table missing\n\tat write');
    await reader.waitForCaughtUp(20_000);

    const status = reader.get(name);
    expect(status?.connector).toMatchObject({
      state: 'RUNNING',
      trace: null,
      worker_id: 'worker-a:8080',
      generation: 1,
    });
    expect(status?.tasks.map((t) => [t.id, t.state, t.trace])).toEqual([
      [0, 'RUNNING', null],
      [1, 'FAILED', 'org.example.Boom: table missing\n\tat write'],
    ]);
    expect(reader.connectors()).toContain(name);
  });

  it('deleting a connector writes tombstones and removes it from the view', async () => {
    const name = uniqueName('doomed');
    await publisher.publishConnector(name, 'RUNNING');
    await publisher.publishTask(name, 0, 'RUNNING');
    await publisher.publishTask(name, 1, 'RUNNING');
    await reader.waitForCaughtUp(20_000);
    expect(reader.get(name)?.tasks).toHaveLength(2);

    await publisher.deleteConnector(name, [0, 1]);
    await reader.waitForCaughtUp(20_000);
    expect(reader.get(name)).toBeUndefined();
    expect(reader.connectors()).not.toContain(name);

    // The records really are tombstones (null values) on the topic.
    const values = await readRaw(kafka, topic, (key) => key.includes(name));
    expect(values.slice(-3)).toEqual([
      [`status-connector-${name}`, null],
      [`status-task-${name}-0`, null],
      [`status-task-${name}-1`, null],
    ]);
  });

  it('a reader started later rebuilds the same view, skipping malformed records', async () => {
    const name = uniqueName('replayed');
    await publisher.publishConnector(name, 'PAUSED');
    await publisher.publishTask(name, 0, 'RUNNING');
    await publisher.publishTask(name, 0, 'PAUSED');
    const raw = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await raw.connect();
    await raw.send({
      topic,
      messages: [
        { key: `status-task-${name}-1`, value: '{"state":"NONSENSE"}' },
        { key: 'status-task-not-json-0', value: 'x' },
      ],
    });
    await raw.disconnect();
    await reader.waitForCaughtUp(20_000);

    const late = new StatusReader({ kafka, topic });
    await late.start();
    try {
      await late.waitForCaughtUp(20_000);
      expect(late.get(name)).toEqual(reader.get(name));
      expect(late.get(name)?.tasks.map((t) => `${t.id}:${t.state}`)).toEqual(['0:PAUSED']);
      expect(late.get(name)?.connector?.state).toBe('PAUSED');
    } finally {
      await late.close();
    }
  });
});

/** Every [key, value] of the topic matching `keep`, in offset order, through a plain consumer. */
async function readRaw(
  kafka: Kafka,
  topic: string,
  keep: (key: string) => boolean,
): Promise<[string, string | null][]> {
  const admin = kafka.admin();
  await admin.connect();
  const [end] = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const last = BigInt(end?.high ?? '0') - 1n;
  const out: [string, string | null][] = [];
  const consumer = kafka.consumer({ groupId: uniqueName('raw'), maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('raw read timed out')), 20_000);
    void consumer.run({
      eachMessage: async ({ message }) => {
        const key = message.key?.toString() ?? '';
        if (keep(key)) out.push([key, message.value === null ? null : message.value.toString()]);
        if (BigInt(message.offset) >= last) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return out;
}
